package dev.quarry.appliance.cli;

import static dev.quarry.appliance.cli.Output.text;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code quarry session list|show|logout}: live iSCSI sessions. */
@Command(name = "session", mixinStandardHelpOptions = true, description = "Live iSCSI sessions: list, show, logout.")
public final class SessionCommand extends ApiCommand {

    @Command(name = "list", description = "List live sessions.")
    void list() {
        out().list(client().list("api/v1/sessions"), text("TSIH", "tsih"), text("INITIATOR", "initiator"), text("ISID", "isid"),
                new Output.Column("TARGET", s -> s.path("target").asText().isEmpty() ? "(discovery)" : s.path("target").asText()),
                text("FROM", "initiatorAddress"));
    }

    @Command(name = "show", description = "Show a session.")
    void show(@Parameters(paramLabel = "TSIH") int tsih) {
        out().item(client().get("api/v1/sessions/" + tsih), text("TSIH", "tsih"), text("Initiator", "initiator"),
                text("ISID", "isid"), text("Target", "target"), text("From", "initiatorAddress"), text("Portal", "portal"),
                text("Logged in", "loggedIn"));
    }

    @Command(name = "logout", description = "Force a session to log out (its initiator may log in again).")
    void logout(@Parameters(paramLabel = "TSIH") int tsih,
                @Option(names = {"-y", "--yes"}, description = "Do not ask for confirmation.") boolean yes) {
        Confirmation.require(yes, "Force session " + tsih + " to log out?", err());
        out().done("Session " + tsih + " asked to log out.", client().delete("api/v1/sessions/" + tsih));
    }
}
