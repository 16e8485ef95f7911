package dev.quarry.appliance.cli;

import static dev.quarry.appliance.cli.Output.text;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code quarry lun list|map|show|unmap}: the LUN map of a target. */
@Command(name = "lun", mixinStandardHelpOptions = true, description = "LUN maps of targets: list, map, show, unmap.")
public final class LunCommand extends ApiCommand {

    @Command(name = "list", description = "List a target's LUNs.")
    void list(@Parameters(paramLabel = "TARGET") String target) {
        out().list(client().list("api/v1/targets/" + seg(target) + "/luns"), text("LUN", "lun"), text("VOLUME", "volume"),
                text("READ-ONLY", "readOnly"));
    }

    @Command(name = "map", description = {"Map a LUN number of a target to a volume (remapping replaces it).",
        "A snapshot (volume@snapshot) is always exported read-only."})
    void map(@Parameters(paramLabel = "TARGET") String target, @Parameters(paramLabel = "LUN") int lun,
             @Parameters(paramLabel = "[POOL/]VOLUME[@SNAPSHOT]") String volume,
             @Option(names = "--read-only", description = "Export the volume read-only.") boolean readOnly) {
        Names names = Names.parseAny(volume);
        if (names.pool() != null) {
            new VolumeCheck(client()).inPool(names);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("volume", names.exported());
        body.put("readOnly", readOnly || names.snapshot() != null);
        JsonNode mapping = client().put("api/v1/targets/" + seg(target) + "/luns/" + lun, body);
        out().done("LUN " + lun + " of " + target + " is " + volume + (mapping.path("readOnly").asBoolean() ? " (read-only)." : "."),
                mapping);
    }

    @Command(name = "show", description = "Show one LUN of a target.")
    void show(@Parameters(paramLabel = "TARGET") String target, @Parameters(paramLabel = "LUN") int lun) {
        out().item(client().get("api/v1/targets/" + seg(target) + "/luns/" + lun), text("LUN", "lun"), text("Volume", "volume"),
                text("Read-only", "readOnly"));
    }

    @Command(name = "unmap", description = "Unmap a LUN (hosts lose it; the volume stays).")
    void unmap(@Parameters(paramLabel = "TARGET") String target, @Parameters(paramLabel = "LUN") int lun,
               @Option(names = {"-y", "--yes"}, description = "Do not ask for confirmation.") boolean yes) {
        Confirmation.require(yes, "Unmap LUN " + lun + " of " + target + " (hosts lose it)?", err());
        out().done("LUN " + lun + " of " + target + " unmapped.", client().delete("api/v1/targets/" + seg(target) + "/luns/" + lun));
    }

    /** Checks that a pool/volume name names a volume of that pool. */
    private record VolumeCheck(RestClient client) {
        void inPool(Names names) {
            JsonNode volume = client.get("api/v1/volumes/" + seg(names.volume()));
            if (!names.pool().equals(volume.path("pool").asText())) {
                throw new CliException(dev.quarry.appliance.ExitCodes.NOT_FOUND, "volume " + names.volume() + " is in pool "
                        + volume.path("pool").asText() + ", not " + names.pool());
            }
        }
    }
}
