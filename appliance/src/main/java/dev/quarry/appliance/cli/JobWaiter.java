package dev.quarry.appliance.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quarry.appliance.ExitCodes;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Locale;

/**
 * {@code --wait}: polls {@code /jobs/{id}} until the job ends, drawing a progress bar on the
 * error stream (so {@code --json} output stays clean), and fails with
 * {@link ExitCodes#JOB_FAILED} when the job did.
 *
 * <p>Not thread-safe; one per wait.
 */
final class JobWaiter {

    private static final int BAR = 30;
    private static final Duration POLL = Duration.ofMillis(500);

    private JobWaiter() {
    }

    /** The job's final state. */
    static JsonNode await(RestClient client, String jobPath, PrintWriter err) {
        JsonNode job = client.get(jobPath);
        while (job.path("state").asText().equals("RUNNING")) {
            draw(job, err);
            try {
                Thread.sleep(POLL.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CliException(ExitCodes.FAILED, "interrupted while waiting; the job goes on: " + jobPath, e);
            }
            job = client.get(jobPath);
        }
        draw(job, err);
        err.println();
        err.flush();
        if (!job.path("state").asText().equals("SUCCEEDED")) {
            throw new CliException(ExitCodes.JOB_FAILED, "job " + job.path("id").asText() + " failed: "
                    + job.path("error").asText("unknown"));
        }
        return job;
    }

    private static void draw(JsonNode job, PrintWriter err) {
        double percent = Math.max(0, Math.min(100, job.path("percent").asDouble()));
        int filled = (int) Math.round(percent / 100 * BAR);
        err.print(String.format(Locale.ROOT, "\r%s [%s%s] %5.1f%% %s/s", job.path("id").asText(), "#".repeat(filled),
                "-".repeat(BAR - filled), percent, Output.human(job.path("bytesPerSecond").asLong())));
        err.flush();
    }
}
