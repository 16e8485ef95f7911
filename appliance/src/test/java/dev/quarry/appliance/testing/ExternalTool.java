package dev.quarry.appliance.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a real client program (iscsi-ls, iscsi-test-cu, qemu-img, ...) with a time bound and
 * captures what it printed. A program that overruns is killed and reported, never left behind.
 */
public final class ExternalTool {

    private ExternalTool() {
    }

    /** What a finished program returned and printed (stdout and stderr merged). */
    public record Result(List<String> command, int exitCode, String output, boolean timedOut) {
        public boolean succeeded() {
            return exitCode == 0 && !timedOut;
        }

        @Override
        public String toString() {
            return String.join(" ", command) + " -> exit " + exitCode + (timedOut ? " (timed out)" : "") + "\n" + output;
        }
    }

    /** Whether {@code program} is on the PATH. */
    public static boolean available(String program) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            if (Files.isExecutable(Path.of(dir, program))) {
                return true;
            }
        }
        return false;
    }

    /** Runs {@code command}, waiting at most {@code limit}. */
    public static Result run(Duration limit, String... command) throws IOException, InterruptedException {
        return run(limit, List.of(command));
    }

    /** Runs {@code command}, waiting at most {@code limit}. */
    public static Result run(Duration limit, List<String> command) throws IOException, InterruptedException {
        Path output = Files.createTempFile("quarry-tool", ".out");
        try {
            Process process = new ProcessBuilder(new ArrayList<>(command))
                    .redirectErrorStream(true)
                    .redirectOutput(output.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                    .start();
            boolean finished = process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS);
            if (!finished) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
            String text = Files.readString(output, StandardCharsets.UTF_8);
            return new Result(List.copyOf(command), finished ? process.exitValue() : -1, text, !finished);
        } finally {
            Files.deleteIfExists(output);
        }
    }
}
