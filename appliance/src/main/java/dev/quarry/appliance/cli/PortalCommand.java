package dev.quarry.appliance.cli;

import static dev.quarry.appliance.cli.Output.text;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code quarry portal list|add|remove}: the addresses the iSCSI server listens on. */
@Command(name = "portal", mixinStandardHelpOptions = true, description = "iSCSI portals: list, add, remove.")
public final class PortalCommand extends ApiCommand {

    @Command(name = "list", description = "List the portals.")
    void list() {
        out().list(client().list("api/v1/portals"), text("PORTAL", "portal"),
                new Output.Column("SOURCE", p -> p.path("added").asBoolean() ? "added" : "configuration file"));
    }

    @Command(name = "add", description = "Listen on one more portal (kept across restarts).")
    void add(@Parameters(paramLabel = "HOST:PORT") String portal) {
        out().done("Listening on " + portal + ".", client().put("api/v1/portals/" + seg(portal), null));
    }

    @Command(name = "remove", description = "Stop listening on a portal added with quarry portal add.")
    void remove(@Parameters(paramLabel = "HOST:PORT") String portal,
                @Option(names = {"-y", "--yes"}, description = "Do not ask for confirmation.") boolean yes) {
        Confirmation.require(yes, "Stop listening on " + portal + " (new logins there fail)?", err());
        out().done("No longer listening on " + portal + ".", client().delete("api/v1/portals/" + seg(portal)));
    }
}
