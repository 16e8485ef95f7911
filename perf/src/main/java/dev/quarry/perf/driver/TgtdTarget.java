package dev.quarry.perf.driver;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Debian's tgtd as a child process on a private portal and control port
 * ({@code tgtd -f -C <control> --iscsi portal=127.0.0.1:<port>}), with one target per backing
 * store: {@code rdwr} over a file (the peer) and {@code null} (the transport-only ceiling). Each
 * target's LUN 1 is the disk (LUN 0 is tgtd's controller).
 *
 * <p>Not thread-safe.
 */
final class TgtdTarget {

    private static final Duration COMMAND_LIMIT = Duration.ofSeconds(20);
    private static final Duration START_LIMIT = Duration.ofSeconds(15);

    /** One LUN of this tgtd. */
    record Lun(String name, String url, long pid) implements Target {
        @Override
        public void close() {
        }
    }

    private final Process process;
    private final int port;
    private final int control;
    private final String tgtadm;
    private final List<Integer> targets = new ArrayList<>();

    private TgtdTarget(Process process, int port, int control, String tgtadm) {
        this.process = process;
        this.port = port;
        this.control = control;
        this.tgtadm = tgtadm;
    }

    /** Starts tgtd on 127.0.0.1:{@code port}, control port {@code control}, logging to {@code directory}. */
    static TgtdTarget start(int port, int control, Path directory) {
        try {
            Path log = directory.resolve("tgtd.log");
            Process process = new ProcessBuilder(ChildProcess.program("tgtd", "tgt"), "-f", "-C", Integer.toString(control),
                    "--iscsi", "portal=127.0.0.1:" + port)
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            TgtdTarget tgtd = new TgtdTarget(process, port, control, ChildProcess.program("tgtadm", "tgt"));
            tgtd.awaitReady(log);
            return tgtd;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Adds target {@code tid} with LUN 1 on {@code backingStoreType} ("rdwr" or "null") over {@code backing}. */
    Lun addLun(int tid, String backingStoreType, String backing, String label) {
        String iqn = "iqn.2026-11.dev.quarry.bench:" + label;
        admin("--lld", "iscsi", "--op", "new", "--mode", "target", "--tid", Integer.toString(tid), "-T", iqn);
        targets.add(tid);
        admin("--lld", "iscsi", "--op", "bind", "--mode", "target", "--tid", Integer.toString(tid), "-I", "ALL");
        admin("--lld", "iscsi", "--op", "new", "--mode", "logicalunit", "--tid", Integer.toString(tid), "--lun", "1",
                "--bstype", backingStoreType, "-b", backing);
        return new Lun("tgtd " + backingStoreType, "iscsi://127.0.0.1:" + port + "/" + iqn + "/1", process.pid());
    }

    long pid() {
        return process.pid();
    }

    /** Deletes the targets, asks tgtd to exit, and kills it by its PID if it has not within ten seconds. */
    void close() {
        try {
            if (process.isAlive()) {
                for (int tid : targets) {
                    admin("--lld", "iscsi", "--op", "delete", "--mode", "target", "--force", "--tid", Integer.toString(tid));
                }
                admin("--op", "delete", "--mode", "system");
            }
        } finally {
            try {
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            }
        }
    }

    private String admin(String... arguments) {
        List<String> command = new ArrayList<>(List.of(tgtadm, "-C", Integer.toString(control)));
        command.addAll(List.of(arguments));
        return ChildProcess.run(command, COMMAND_LIMIT);
    }

    private void awaitReady(Path log) throws IOException {
        long deadline = System.nanoTime() + START_LIMIT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("tgtd exited with " + process.exitValue() + " (port " + port
                        + " or control port " + control + " in use?):\n" + Files.readString(log));
            }
            try (Socket probe = new Socket()) {
                probe.connect(new InetSocketAddress("127.0.0.1", port), 200);
                admin("--op", "show", "--mode", "sys");
                return;
            } catch (IOException | IllegalStateException e) {
                QuarryTarget.pause();
            }
        }
        process.destroyForcibly();
        throw new IllegalStateException("tgtd did not come up within " + START_LIMIT + ":\n" + Files.readString(log));
    }
}
