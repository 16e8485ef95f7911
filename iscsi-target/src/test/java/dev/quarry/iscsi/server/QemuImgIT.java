package dev.quarry.iscsi.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.quarry.iscsi.testing.TestServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** QEMU's own iSCSI block driver (qemu-img over iscsi:// URLs, as a hypervisor uses it) against the transport. */
class QemuImgIT {

    private static final Path QEMU_IMG = Path.of("/usr/bin/qemu-img");

    @Test
    void shouldCopyAnImageOntoTheLunAndBackUnchanged(@TempDir Path dir) throws Exception {
        assumeTrue(Files.isExecutable(QEMU_IMG), "qemu-utils is not installed");
        byte[] image = new byte[4 << 20];
        new Random(7).nextBytes(image);
        Path source = Files.write(dir.resolve("source.raw"), image);
        Path copy = dir.resolve("copy.raw");
        try (TestServer server = TestServer.start()) {
            String url = "iscsi://127.0.0.1:" + server.server().port() + "/" + TestServer.TARGET + "/0";
            Result info = run("info", url);
            assertThat(info.exit()).as(info.output()).isZero();
            assertThat(info.output()).contains("virtual size: 16 MiB");
            Result write = run("convert", "-n", "-f", "raw", "-O", "raw", source.toString(), url);
            assertThat(write.exit()).as(write.output()).isZero();
            Result read = run("convert", "-f", "raw", "-O", "raw", url, copy.toString());
            assertThat(read.exit()).as(read.output()).isZero();
        }
        byte[] back = Files.readAllBytes(copy);
        assertThat(back).hasSize(16 << 20);
        assertThat(java.util.Arrays.equals(back, 0, image.length, image, 0, image.length)).isTrue();
    }

    private record Result(int exit, String output) {
    }

    private static Result run(String... arguments) throws IOException, InterruptedException {
        List<String> command = new java.util.ArrayList<>(List.of(QEMU_IMG.toString()));
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError(String.join(" ", command) + " did not finish within 60 s");
        }
        return new Result(process.exitValue(), new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    }
}
