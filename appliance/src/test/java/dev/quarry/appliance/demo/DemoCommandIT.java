package dev.quarry.appliance.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quarry.appliance.testing.ExternalTool;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code quarry demo} as a newcomer runs it: a separate JVM that serves a LUN that qemu-img and
 * libiscsi can use, stops cleanly on SIGTERM, and on the next start serves the same LUN (same
 * serial number, same data).
 */
class DemoCommandIT {

    private static final Duration LIMIT = Duration.ofSeconds(60);

    @TempDir
    Path work;

    @Test
    @Timeout(value = 4, unit = TimeUnit.MINUTES)
    void shouldServeTheDemoLunStopOnSigtermAndServeTheSameLunAfterARestart() throws Exception {
        Path image = work.resolve("small.raw");
        byte[] bytes = new byte[4 << 20];
        new Random(7).nextBytes(bytes);
        Files.write(image, bytes);
        int iscsiPort = freePort();
        int httpPort = freePort();
        String url = "iscsi://127.0.0.1:" + iscsiPort + "/" + DemoSetup.TARGET_NAME + "/0";

        Demo first = Demo.start(work.resolve("data"), iscsiPort, httpPort);
        assertThat(first.banner()).contains(url).contains("256MiB thin volume");
        assertThat(ExternalTool.run(LIMIT, "qemu-img", "info", url).output()).contains("virtual size: 256 MiB");
        assertThat(health(httpPort)).contains("\"status\":\"ok\"");
        assertThat(ExternalTool.run(LIMIT, "qemu-img", "convert", "-n", "-f", "raw", "-O", "raw", image.toString(), url)
                .succeeded()).isTrue();
        String serial = ExternalTool.run(LIMIT, "iscsi-inq", "-e", "1", "-c", "128", url).output();
        first.stopWithSigterm();
        assertThat(first.log()).contains("stopped");

        Demo second = Demo.start(work.resolve("data"), iscsiPort, httpPort);
        try {
            assertThat(ExternalTool.run(LIMIT, "iscsi-inq", "-e", "1", "-c", "128", url).output()).isEqualTo(serial);
            ExternalTool.Result compare = ExternalTool.run(LIMIT, "qemu-img", "compare", "-f", "raw", "-F", "raw",
                    image.toString(), url);
            assertThat(compare.output()).as(compare.toString()).contains("Images are identical");
        } finally {
            second.stopWithSigterm();
        }
    }

    @Test
    @Timeout(value = 2, unit = TimeUnit.MINUTES)
    void shouldExitWithCodeThreeWhenThePortalPortIsTaken() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            Files.createDirectories(work.resolve("busy"));
            Process process = new ProcessBuilder(Demo.command(work.resolve("busy").resolve("data"), taken.getLocalPort(),
                    freePort())).redirectErrorStream(true).redirectOutput(work.resolve("busy.out").toFile()).start();
            assertThat(process.waitFor(90, TimeUnit.SECONDS)).as("exited").isTrue();
            String printed = Files.readString(work.resolve("busy.out"));
            assertThat(process.exitValue()).as(printed).isEqualTo(3);
            assertThat(printed).contains(Integer.toString(taken.getLocalPort()));
        }
    }

    private static String health(int port) throws Exception {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/health"))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** A {@code quarry demo} JVM; what it prints goes to files, read after the fact. */
    private record Demo(Process process, String banner, Path stderr) {

        static List<String> command(Path data, int iscsiPort, int httpPort) {
            return new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "--enable-native-access=ALL-UNNAMED", "-Xmx512m", "-cp", System.getProperty("java.class.path"),
                    // The appliance's own logging (to stderr), not a test configuration found on the test classpath.
                    "-Dlogback.configurationFile=" + DemoCommandIT.class.getResource("/logback.xml"),
                    "dev.quarry.appliance.QuarryCommand", "demo", "--size", "256MiB", "--data", data.toString(),
                    "--iscsi-port", Integer.toString(iscsiPort), "--http-port", Integer.toString(httpPort)));
        }

        static Demo start(Path data, int iscsiPort, int httpPort) throws Exception {
            List<String> command = command(data, iscsiPort, httpPort);
            Path stdout = Files.createTempFile(data.getParent(), "demo", ".out");
            Path stderr = Files.createTempFile(data.getParent(), "demo", ".err");
            Process process = new ProcessBuilder(command).redirectOutput(stdout.toFile()).redirectError(stderr.toFile()).start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
            while (!Files.readString(stdout).contains("Stop with")) {
                if (!process.isAlive() || System.nanoTime() > deadline) {
                    process.destroyForcibly();
                    throw new AssertionError("quarry demo did not start; it printed:\n" + Files.readString(stdout)
                            + Files.readString(stderr));
                }
                Thread.sleep(100);
            }
            return new Demo(process, Files.readString(stdout), stderr);
        }

        /** SIGTERM, as systemd or Ctrl-C would send; the JVM must finish its shutdown in time. */
        void stopWithSigterm() throws Exception {
            process.destroy();
            assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("stopped within 30 s of SIGTERM").isTrue();
        }

        String log() throws IOException {
            return Files.readString(stderr);
        }
    }
}
