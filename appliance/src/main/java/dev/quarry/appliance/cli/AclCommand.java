package dev.quarry.appliance.cli;

import static dev.quarry.appliance.cli.Output.text;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code quarry acl list|add|remove TARGET [INITIATOR]}: the initiators a target admits (none listed: any). */
@Command(name = "acl", mixinStandardHelpOptions = true, description = "Initiators a target admits: list, add, remove.")
public final class AclCommand extends ApiCommand {

    @Command(name = "list", description = "List the initiators a target admits (empty: any initiator).")
    void list(@Parameters(paramLabel = "TARGET") String target) {
        out().list(client().list("api/v1/targets/" + seg(target) + "/initiators"), text("INITIATOR", "name"));
    }

    @Command(name = "add", description = "Admit an initiator (from then on only listed initiators may log in).")
    void add(@Parameters(paramLabel = "TARGET") String target, @Parameters(paramLabel = "INITIATOR") String initiator) {
        out().done(initiator + " may log in to " + target + ".",
                client().put("api/v1/targets/" + seg(target) + "/initiators/" + seg(initiator), null));
    }

    @Command(name = "remove", description = "Stop admitting an initiator (the last one cannot be removed; that would admit any).")
    void remove(@Parameters(paramLabel = "TARGET") String target, @Parameters(paramLabel = "INITIATOR") String initiator) {
        out().done(initiator + " may no longer log in to " + target + ".",
                client().delete("api/v1/targets/" + seg(target) + "/initiators/" + seg(initiator)));
    }
}
