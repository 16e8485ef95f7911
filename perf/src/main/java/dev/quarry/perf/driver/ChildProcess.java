package dev.quarry.perf.driver;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs one short command to completion with a deadline and yields its output; a command that
 * fails or overruns is an error carrying that output. Also finds programs on the usual paths.
 *
 * <p>Stateless and thread-safe.
 */
final class ChildProcess {

    private ChildProcess() {
    }

    /** Runs {@code command} (stdout and stderr merged); fails when it exits non-zero or overruns {@code limit}. */
    static String run(List<String> command, Duration limit) {
        try {
            Path output = Files.createTempFile("quarry-bench-cmd", ".out");
            try {
                Process process = new ProcessBuilder(command).redirectErrorStream(true)
                        .redirectOutput(output.toFile()).start();
                if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
                    process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                    throw new IllegalStateException("did not finish within " + limit + ": " + command + "\n"
                            + Files.readString(output, StandardCharsets.UTF_8));
                }
                String text = Files.readString(output, StandardCharsets.UTF_8);
                if (process.exitValue() != 0) {
                    throw new IllegalStateException("exit " + process.exitValue() + ": " + command + "\n" + text);
                }
                return text;
            } finally {
                Files.deleteIfExists(output);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted running " + command, e);
        }
    }

    /** The path of program {@code name} in the usual system folders, or an error saying which package installs it. */
    static String program(String name, String debianPackage) {
        for (String dir : List.of("/usr/sbin", "/usr/bin", "/sbin", "/bin", "/usr/local/sbin", "/usr/local/bin")) {
            Path candidate = Path.of(dir, name);
            if (Files.isExecutable(candidate)) {
                return candidate.toString();
            }
        }
        throw new IllegalStateException(name + " is not installed (Debian: apt-get install " + debianPackage + ")");
    }
}
