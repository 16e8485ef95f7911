package dev.quarry.appliance.cli;

import static dev.quarry.appliance.cli.Output.size;
import static dev.quarry.appliance.cli.Output.text;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code quarry job list|show [--wait]}: long operations and their progress. */
@Command(name = "job", mixinStandardHelpOptions = true, description = "Long operations (drains): list, show, wait.")
public final class JobCommand extends ApiCommand {

    private static final Output.Column PERCENT = new Output.Column("DONE", j -> String.format(java.util.Locale.ROOT, "%.1f%%",
            j.path("percent").asDouble()));

    @Command(name = "list", description = "List running and recently finished jobs.")
    void list() {
        out().list(client().list("api/v1/jobs"), text("JOB", "id"), text("STATE", "state"), PERCENT, size("DONE BYTES", "bytesDone"),
                text("WHAT", "description"));
    }

    @Command(name = "show", description = "Show a job; --wait follows it to the end with a progress bar.")
    void show(@Parameters(paramLabel = "JOB") String id,
              @Option(names = "--wait", description = "Wait for the job to end (exit code 10 if it fails).") boolean wait) {
        String path = "api/v1/jobs/" + seg(id);
        JsonNode job = wait ? JobWaiter.await(client(), path, err()) : client().get(path);
        out().item(job, text("Job", "id"), text("What", "description"), text("State", "state"), PERCENT,
                size("Done", "bytesDone"), size("Total", "bytesTotal"), size("Rate/s", "bytesPerSecond"), text("Error", "error"));
    }
}
