package dev.quarry.perf.driver;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Quarry as a child process: {@code bin/quarry demo} on a fresh data folder (a thin volume in a
 * pool on a sparse file in that folder), ready once its portal accepts connections. The script
 * execs the JVM, so the child's PID is the appliance's.
 *
 * <p>Not thread-safe.
 */
final class QuarryTarget implements Target {

    private static final Duration START_LIMIT = Duration.ofMinutes(5);
    private static final String IQN = "iqn.2026-11.dev.quarry:demo";

    private final Process process;
    private final int port;

    private QuarryTarget(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /** Starts {@code quarry demo} of the checkout at {@code root}; waits until it serves. */
    static QuarryTarget start(Path root, Path data, long sizeBytes, int iscsiPort, int httpPort, String javaOptions) {
        try {
            Files.createDirectories(data);
            ProcessBuilder builder = new ProcessBuilder(List.of(root.resolve("bin/quarry").toString(), "demo",
                    "--data", data.toString(), "--size", sizeBytes + "B", "--iscsi-port", Integer.toString(iscsiPort),
                    "--http-port", Integer.toString(httpPort)))
                    .redirectErrorStream(true)
                    .redirectOutput(data.resolve("quarry.log").toFile());
            builder.environment().put("QUARRY_JAVA_OPTS", javaOptions);
            QuarryTarget target = new QuarryTarget(builder.start(), iscsiPort);
            target.awaitReady(data.resolve("quarry.log"));
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void awaitReady(Path log) throws IOException {
        long deadline = System.nanoTime() + START_LIMIT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("quarry demo exited with " + process.exitValue() + ":\n" + Files.readString(log));
            }
            if (Files.readString(log).contains("Quarry demo is serving.") && accepts()) {
                return;
            }
            pause();
        }
        close();
        throw new IllegalStateException("quarry demo did not serve within " + START_LIMIT + ":\n" + Files.readString(log));
    }

    private boolean accepts() {
        try (Socket probe = new Socket()) {
            probe.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public String name() {
        return "Quarry";
    }

    @Override
    public String url() {
        return "iscsi://127.0.0.1:" + port + "/" + IQN + "/0";
    }

    @Override
    public long pid() {
        return process.pid();
    }

    /** SIGTERM (initiators are asked to log out, the volume is flushed), SIGKILL after 30 s. */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    static void pause() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
