package dev.quarry.appliance.cli;

import static dev.quarry.appliance.cli.Output.text;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code quarry target list|create|show|update|delete}: iSCSI targets. */
@Command(name = "target", mixinStandardHelpOptions = true, description = "iSCSI targets: list, create, show, update, delete.")
public final class TargetCommand extends ApiCommand {

    static final Output.Column CHAP = new Output.Column("CHAP", t -> t.path("chap").isMissingNode() || t.path("chap").isNull() ? "-"
            : t.path("chap").path("user").asText() + (t.path("chap").hasNonNull("mutualUser") ? " (mutual)" : ""));
    static final Output.Column LUNS = new Output.Column("LUNS", t -> String.valueOf(t.path("luns").size()));
    static final Output.Column INITIATORS = new Output.Column("INITIATORS", t -> t.path("allowedInitiators").isEmpty() ? "any"
            : String.join(",", texts(t.path("allowedInitiators"))));

    @Command(name = "list", description = "List targets.")
    void list() {
        out().list(client().list("api/v1/targets"), text("TARGET", "name"), text("ALIAS", "alias"), LUNS, CHAP, INITIATORS);
    }

    @Command(name = "create", description = "Create a target (the same target again is not an error). Add CHAP with quarry chap set.")
    void create(@Parameters(paramLabel = "IQN") String name,
                @Option(names = "--alias", description = "TargetAlias hosts show.") String alias,
                @Option(names = "--allow", paramLabel = "INITIATOR", description = "Admit only these initiators (default: any).")
                List<String> allow) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", name);
        if (alias != null) {
            body.put("alias", alias);
        }
        if (allow != null) {
            body.put("allowedInitiators", allow);
        }
        JsonNode target = client().post("api/v1/targets", body);
        out().done("Target " + name + " ready.", target);
    }

    @Command(name = "show", description = "Show a target with its LUNs.")
    void show(@Parameters(paramLabel = "IQN") String name) {
        JsonNode target = client().get("api/v1/targets/" + seg(name));
        out().item(target, text("Target", "name"), text("Alias", "alias"),
                new Output.Column("Initiators", INITIATORS.cell()), new Output.Column("CHAP user", CHAP.cell()),
                new Output.Column("LUNs", t -> luns(t.path("luns"))));
    }

    @Command(name = "update", description = "Set a target's alias and the initiators it admits.")
    void update(@Parameters(paramLabel = "IQN") String name,
                @Option(names = "--alias", description = "TargetAlias hosts show.") String alias,
                @Option(names = "--allow", paramLabel = "INITIATOR", description = "Admit only these (none given: any).")
                List<String> allow) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("alias", alias);
        body.put("allowedInitiators", allow == null ? List.of() : allow);
        out().done("Target " + name + " updated.", client().put("api/v1/targets/" + seg(name), body));
    }

    @Command(name = "delete", description = "Stop exporting a target; its sessions are asked to log out.")
    void delete(@Parameters(paramLabel = "IQN") String name,
                @Option(names = {"-y", "--yes"}, description = "Do not ask for confirmation.") boolean yes) {
        Confirmation.require(yes, "Delete target " + name + " (its hosts lose their LUNs)?", err());
        out().done("Target " + name + " deleted.", client().delete("api/v1/targets/" + seg(name)));
    }

    private static List<String> texts(JsonNode array) {
        List<String> values = new java.util.ArrayList<>();
        array.forEach(v -> values.add(v.asText()));
        return values;
    }

    private static String luns(JsonNode luns) {
        if (luns.isEmpty()) {
            return "none";
        }
        StringBuilder text = new StringBuilder();
        for (JsonNode lun : luns) {
            text.append(text.isEmpty() ? "" : ", ").append(lun.path("lun").asInt()).append(" -> ").append(lun.path("volume").asText())
                    .append(lun.path("readOnly").asBoolean() ? " (read-only)" : "");
        }
        return text.toString();
    }
}
