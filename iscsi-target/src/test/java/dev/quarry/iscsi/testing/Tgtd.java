package dev.quarry.iscsi.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real tgtd (Debian's {@code tgt}, the Linux SCSI target framework) as a child process on
 * loopback, for tests that need a peer target: {@code tgtd -f -C <control> --iscsi
 * portal=127.0.0.1:<port>}, configured through {@code tgtadm -C <control>} and stopped by its PID.
 * Each test class uses its own portal and control port, so that instances never share tgtd's
 * default control socket.
 *
 * <p>A missing tgtd fails the test with instructions, never skips it. Not thread-safe; one test
 * class drives it.
 */
public final class Tgtd implements AutoCloseable {

    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration START_TIMEOUT = Duration.ofSeconds(10);

    private final int port;
    private final int control;
    private final Process process;
    private final Path log;
    private final List<Integer> targets = new ArrayList<>();

    private Tgtd(int port, int control, Path directory) throws IOException {
        this.port = port;
        this.control = control;
        this.log = directory.resolve("tgtd-" + port + ".log");
        this.process = new ProcessBuilder(binary("tgtd"), "-f", "-C", Integer.toString(control), "--iscsi",
                "portal=127.0.0.1:" + port)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
    }

    /**
     * Starts tgtd listening on 127.0.0.1:{@code port} with control port {@code control}; its log
     * goes to {@code directory}. Waits until it answers tgtadm and accepts connections.
     */
    public static Tgtd start(int port, int control, Path directory) {
        try {
            Tgtd tgtd = new Tgtd(port, control, directory);
            tgtd.awaitReady();
            return tgtd;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public InetSocketAddress address() {
        return new InetSocketAddress("127.0.0.1", port);
    }

    public long pid() {
        return process.pid();
    }

    /** Creates target {@code tid} named {@code name}, open to every initiator. */
    public void addTarget(int tid, String name) {
        tgtadm("--lld", "iscsi", "--op", "new", "--mode", "target", "--tid", Integer.toString(tid), "-T", name);
        tgtadm("--lld", "iscsi", "--op", "bind", "--mode", "target", "--tid", Integer.toString(tid), "-I", "ALL");
        targets.add(tid);
    }

    /**
     * Adds LUN {@code lun} to target {@code tid} over {@code backing} (a sparse file); with
     * {@code thin} the LUN advertises thin provisioning and UNMAP punches holes in the file.
     */
    public void addLun(int tid, int lun, Path backing, boolean thin) {
        tgtadm("--lld", "iscsi", "--op", "new", "--mode", "logicalunit", "--tid", Integer.toString(tid), "--lun",
                Integer.toString(lun), "-b", backing.toString());
        if (thin) {
            tgtadm("--lld", "iscsi", "--op", "update", "--mode", "logicalunit", "--tid", Integer.toString(tid), "--lun",
                    Integer.toString(lun), "--params", "thin_provisioning=1");
        }
    }

    /** Sets the target-wide parameter {@code name} (e.g. HeaderDigest, nop_interval) of target {@code tid}. */
    public void targetParameter(int tid, String name, String value) {
        tgtadm("--lld", "iscsi", "--op", "update", "--mode", "target", "--tid", Integer.toString(tid), "-n", name, "-v", value);
    }

    /** Creates a CHAP account (tgtd keeps accounts per instance, shared by its targets). */
    public void addAccount(String user, String secret) {
        tgtadm("--lld", "iscsi", "--op", "new", "--mode", "account", "--user", user, "--password", secret);
    }

    /** Requires CHAP on target {@code tid}: the initiator proves the account {@code user}. */
    public void requireChap(int tid, String user) {
        tgtadm("--lld", "iscsi", "--op", "bind", "--mode", "account", "--tid", Integer.toString(tid), "--user", user);
    }

    /** Mutual CHAP on target {@code tid}: the target proves the account {@code user} back. */
    public void answerChap(int tid, String user) {
        tgtadm("--lld", "iscsi", "--op", "bind", "--mode", "account", "--tid", Integer.toString(tid), "--user", user,
                "--outgoing");
    }

    /** Runs tgtadm against this instance; fails with its output when it fails. */
    public String tgtadm(String... arguments) {
        List<String> command = new ArrayList<>(List.of(binary("tgtadm"), "-C", Integer.toString(control)));
        command.addAll(List.of(arguments));
        try {
            Process admin = new ProcessBuilder(command).redirectErrorStream(true).start();
            byte[] output = admin.getInputStream().readAllBytes();
            if (!admin.waitFor(COMMAND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                admin.destroyForcibly();
                throw new AssertionError("tgtadm did not finish within " + COMMAND_TIMEOUT + ": " + command);
            }
            String text = new String(output, StandardCharsets.UTF_8);
            if (admin.exitValue() != 0) {
                throw new AssertionError("tgtadm failed (" + admin.exitValue() + "): " + command + "\n" + text);
            }
            return text;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted running " + command, e);
        }
    }

    /**
     * Deletes the targets, asks tgtd to exit, and kills it by its PID if it has not within five
     * seconds.
     */
    @Override
    public void close() {
        try {
            if (process.isAlive()) {
                for (int tid : targets) {
                    tgtadm("--lld", "iscsi", "--op", "delete", "--mode", "target", "--force", "--tid", Integer.toString(tid));
                }
                tgtadm("--op", "delete", "--mode", "system");
            }
        } catch (AssertionError e) {
            process.destroyForcibly();
            throw e;
        } finally {
            try {
                if (!process.waitFor(5, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            }
        }
    }

    private void awaitReady() throws IOException {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (true) {
            if (!process.isAlive()) {
                throw new AssertionError("tgtd exited with " + process.exitValue() + " (port " + port + " or control port "
                        + control + " in use?):\n" + Files.readString(log));
            }
            try (Socket probe = new Socket()) {
                probe.connect(address(), 200);
                tgtadm("--op", "show", "--mode", "sys");
                return;
            } catch (IOException | AssertionError e) {
                if (System.nanoTime() > deadline) {
                    process.destroyForcibly();
                    throw new AssertionError("tgtd did not come up within " + START_TIMEOUT + ":\n" + Files.readString(log), e);
                }
                sleep();
            }
        }
    }

    private static void sleep() {
        try {
            Thread.sleep(50);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The path of {@code name} from Debian's tgt package; fails the test when it is not installed. */
    private static String binary(String name) {
        for (String dir : List.of("/usr/sbin", "/usr/bin", "/sbin", "/usr/local/sbin")) {
            Path candidate = Path.of(dir, name);
            if (Files.isExecutable(candidate)) {
                return candidate.toString();
            }
        }
        throw new AssertionError(name + " is not installed: run bin/test, which installs Debian's tgt package "
                + "(apt-get install tgt)");
    }
}
