package dev.quarry.appliance.dist;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quarry.appliance.testing.ExternalTool;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The tarball as an admin installs it: unpacked in a folder with no source tree, configured by
 * editing its etc/quarry.yaml, {@code bin/quarry serve --config} started from it; then the
 * tarball's own CLI builds a pool on two file disks, a volume and a CHAP-protected target, and
 * libiscsi and qemu-img use the LUN.
 */
class DistributionIT {

    private static final Duration LIMIT = Duration.ofSeconds(120);
    private static final String TOKEN = "dist-admin-token-0123456789abcdef";
    private static final String TARGET = "iqn.2026-11.dev.quarry:dist";
    private static final String CHAP_SECRET = "dist-chap-secret-1";

    @TempDir
    Path work;

    @Test
    @Timeout(value = 6, unit = TimeUnit.MINUTES)
    void shouldInstallServeAndExportALunFromTheTarball() throws Exception {
        Path tarball = Path.of(System.getProperty("quarry.distribution"));
        assertThat(tarball).exists();
        ExternalTool.Result unpacked = ExternalTool.run(LIMIT, "tar", "-xzf", tarball.toString(), "-C", work.toString());
        assertThat(unpacked.succeeded()).as(unpacked.toString()).isTrue();
        Path home;
        try (var entries = Files.list(work)) {
            home = entries.filter(p -> p.getFileName().toString().startsWith("quarry-")).findFirst().orElseThrow();
        }
        assertThat(home.resolve("bin/quarry")).isExecutable();
        assertThat(home.resolve("systemd/quarry.service")).exists();
        Path config = home.resolve("etc/quarry.yaml");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(config))).isEqualTo("rw-------");
        int iscsiPort = freePort();
        int httpPort = freePort();
        configure(config, iscsiPort, httpPort);

        Process serve = start(home, List.of("serve", "--config", config.toString()));
        try {
            awaitServing(serve, home);
            cli(home, "health");
            cli(home, "pool", "create", "tank", "--segment-size", "4MiB");
            cli(home, "disk", "add", "tank", sparse(home.resolve("disk0.img")), "--tier", "SATA");
            cli(home, "disk", "add", "tank", sparse(home.resolve("disk1.img")), "--tier", "SATA");
            cli(home, "volume", "create", "tank/vol1", "--size", "64MiB");
            cli(home, "target", "create", TARGET);
            cli(home, "chap", "set", TARGET, "--user", "admin1");
            cli(home, "lun", "map", TARGET, "0", "tank/vol1");
            assertThat(cli(home, "volume", "list")).contains("tank/vol1").contains("64.0 MiB");

            String portal = "127.0.0.1:" + iscsiPort;
            ExternalTool.Result listed = ExternalTool.run(LIMIT, "iscsi-ls", "-s", "iscsi://admin1%" + CHAP_SECRET + "@" + portal);
            assertThat(listed.output()).as(listed.toString()).contains("Target:" + TARGET).contains("Lun:0");
            String url = "iscsi://admin1%" + CHAP_SECRET + "@" + portal + "/" + TARGET + "/0";
            Path image = work.resolve("image.raw");
            byte[] bytes = new byte[4 << 20];
            new Random(11).nextBytes(bytes);
            Files.write(image, bytes);
            assertThat(ExternalTool.run(LIMIT, "qemu-img", "info", url).output()).contains("virtual size: 64 MiB");
            assertThat(ExternalTool.run(LIMIT, "qemu-img", "convert", "-n", "-f", "raw", "-O", "raw", image.toString(), url)
                    .succeeded()).isTrue();
            ExternalTool.Result compare = ExternalTool.run(LIMIT, "qemu-img", "compare", "-f", "raw", "-F", "raw", image.toString(), url);
            assertThat(compare.output()).as(compare.toString()).contains("Images are identical");
        } finally {
            serve.destroy();
            assertThat(serve.waitFor(60, TimeUnit.SECONDS)).as("quarry serve stops within 60 s of SIGTERM").isTrue();
        }
        assertThat(Files.readString(home.resolve("serve.err"))).contains("stopped").doesNotContain(TOKEN).doesNotContain(CHAP_SECRET);
    }

    private static void configure(Path config, int iscsiPort, int httpPort) throws IOException {
        String text = Files.readString(config)
                .replace("data: /var/lib/quarry", "data: ../data")
                .replace("  bind: 0.0.0.0\n  # The portal's TCP port (3260 is iSCSI's).\n  port: 3260",
                        "  bind: 127.0.0.1\n  port: " + iscsiPort)
                .replace("  port: 8080", "  port: " + httpPort)
                .replace("tokens: []", "tokens:\n  - {name: ops, role: admin, token: " + TOKEN + "}");
        assertThat(text).contains("port: " + iscsiPort).contains("port: " + httpPort).contains(TOKEN);
        Files.writeString(config, text);
    }

    private static String sparse(Path file) throws IOException {
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.setLength(256L << 20);
        }
        return file.toString();
    }

    private static Process start(Path home, List<String> args) throws IOException {
        List<String> command = new ArrayList<>(List.of(home.resolve("bin/quarry").toString()));
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command).directory(home.toFile())
                .redirectOutput(home.resolve("serve.out").toFile()).redirectError(home.resolve("serve.err").toFile());
        environment(builder.environment());
        return builder.start();
    }

    private static void environment(Map<String, String> env) {
        env.put("QUARRY_JAVA_OPTS", "-Xmx512m");
        env.put("QUARRY_CHAP_SECRET", CHAP_SECRET);
        env.remove("QUARRY_URL");
        env.remove("QUARRY_TOKEN");
    }

    private static void awaitServing(Process serve, Path home) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (!Files.readString(home.resolve("serve.out")).contains("Stop with")) {
            if (!serve.isAlive() || System.nanoTime() > deadline) {
                serve.destroyForcibly();
                throw new AssertionError("quarry serve did not start:\n" + Files.readString(home.resolve("serve.out"))
                        + Files.readString(home.resolve("serve.err")));
            }
            Thread.sleep(200);
        }
    }

    /** Runs the tarball's CLI with the installed configuration file; it must succeed. */
    private static String cli(Path home, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(home.resolve("bin/quarry").toString()));
        command.addAll(List.of(args));
        command.addAll(List.of("--config", home.resolve("etc/quarry.yaml").toString()));
        Path out = Files.createTempFile(home, "cli", ".out");
        ProcessBuilder builder = new ProcessBuilder(command).directory(home.toFile()).redirectErrorStream(true)
                .redirectOutput(out.toFile());
        environment(builder.environment());
        Process process = builder.start();
        boolean finished = process.waitFor(LIMIT.toSeconds(), TimeUnit.SECONDS);
        if (!finished) {
            process.destroyForcibly();
        }
        String output = Files.readString(out);
        assertThat(finished && process.exitValue() == 0).as(String.join(" ", command) + " ->\n" + output).isTrue();
        return output;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
