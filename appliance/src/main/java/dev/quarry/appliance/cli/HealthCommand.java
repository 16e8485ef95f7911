package dev.quarry.appliance.cli;

import static dev.quarry.appliance.cli.Output.text;

import picocli.CommandLine.Command;

/** {@code quarry health}: whether the appliance serves (needs no token). */
@Command(name = "health", mixinStandardHelpOptions = true, description = "Show whether the appliance is up, its portals and sessions.")
public final class HealthCommand extends ApiCommand implements Runnable {

    @Override
    public void run() {
        out().item(client().get("api/v1/health"), text("Status", "status"), text("Version", "version"),
                text("Uptime (s)", "uptimeSeconds"), new Output.Column("Portals", h -> h.path("iscsiPortals").toString()),
                text("Sessions", "iscsiSessions"));
    }
}
