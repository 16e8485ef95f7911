package dev.quarry.appliance.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Mixin;

/**
 * What every API command group shares: the connection options, the output, the error stream for
 * questions and progress.
 *
 * <p>Not thread-safe; one per invocation.
 */
abstract class ApiCommand {

    @Mixin
    ApiOptions api;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    RestClient client() {
        return api.client();
    }

    Output out() {
        return new Output(spec.commandLine().getOut(), api.json());
    }

    PrintWriter err() {
        return spec.commandLine().getErr();
    }

    static String seg(String value) {
        return RestClient.segment(value);
    }

    /** Waits for the job of a 202 answer when asked to, else says where it is. */
    void followJob(JsonNode job, boolean wait, String what) {
        String path = "api/v1/jobs/" + seg(job.path("id").asText());
        if (wait) {
            JsonNode done = JobWaiter.await(client(), path, err());
            out().done(what + " done.", done);
        } else {
            out().done(what + " started as job " + job.path("id").asText() + " (quarry job show " + job.path("id").asText()
                    + " --wait)", job);
        }
    }
}
