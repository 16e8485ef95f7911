package dev.quarry.iscsi.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.quarry.iscsi.login.ChapCredentials;
import dev.quarry.iscsi.testing.TestServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The real libiscsi clients (iscsi-ls, iscsi-inq, Debian package libiscsi-bin) against the server. */
class LibiscsiIT {

    private static final String USER = "quarryuser";
    private static final String SECRET = "chapsecret1234";

    private TestServer server;

    @BeforeAll
    static void requireLibiscsi() {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/iscsi-ls")), "libiscsi-bin is not installed");
    }

    @BeforeEach
    void start() {
        server = TestServer.start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void shouldListTargetsWithIscsiLsDiscovery() throws Exception {
        Result ls = run("iscsi-ls", "iscsi://127.0.0.1:" + server.server().port());
        assertThat(ls.exit()).as(ls.output()).isZero();
        assertThat(ls.output()).contains("Target:" + TestServer.TARGET)
                .contains("Portal:127.0.0.1:" + server.server().port() + ",1");
    }

    @Test
    void shouldShowLunsWithIscsiLsLoggingInToEachTarget() throws Exception {
        Result ls = run("iscsi-ls", "-s", "iscsi://127.0.0.1:" + server.server().port());
        assertThat(ls.exit()).as(ls.output()).isZero();
        assertThat(ls.output()).contains("Lun:0").contains("Type:DIRECT_ACCESS");
    }

    @Test
    void shouldDiscoverAndLogInWithChap() throws Exception {
        protectWithChap();
        Result ls = run("iscsi-ls", "-s", "iscsi://" + USER + "%" + SECRET + "@127.0.0.1:" + server.server().port());
        assertThat(ls.exit()).as(ls.output()).isZero();
        assertThat(ls.output()).contains("Target:" + TestServer.TARGET).contains("Lun:0");
    }

    @Test
    void shouldRefuseWrongChapSecret() throws Exception {
        protectWithChap();
        Result ls = run("iscsi-ls", "iscsi://" + USER + "%wrongsecret99@127.0.0.1:" + server.server().port());
        assertThat(ls.exit()).as(ls.output()).isNotZero();
        assertThat(ls.output()).doesNotContain("Target:" + TestServer.TARGET).containsIgnoringCase("Authentication failure");
        Result ok = run("iscsi-ls", "iscsi://" + USER + "%" + SECRET + "@127.0.0.1:" + server.server().port());
        assertThat(ok.exit()).as("the server keeps serving: " + ok.output()).isZero();
    }

    @Test
    void shouldRefuseDiscoveryWithoutCredentialsWhenChapIsRequired() throws Exception {
        protectWithChap();
        Result ls = run("iscsi-ls", "iscsi://127.0.0.1:" + server.server().port());
        assertThat(ls.exit()).as(ls.output()).isNotZero();
        assertThat(ls.output()).doesNotContain("Target:" + TestServer.TARGET);
    }

    @Test
    void shouldAnswerIscsiInq() throws Exception {
        Result inq = run("iscsi-inq", "iscsi://127.0.0.1:" + server.server().port() + "/" + TestServer.TARGET + "/0");
        assertThat(inq.exit()).as(inq.output()).isZero();
        assertThat(inq.output()).contains("QUARRY").contains("TEST TARGET");
    }

    private void protectWithChap() {
        ChapCredentials chap = ChapCredentials.of(USER, SECRET);
        server.targets().discoveryChap(chap);
        server.targets().put(server.targets().find(TestServer.TARGET).orElseThrow().withChap(chap));
    }

    private record Result(int exit, String output) {
    }

    private static Result run(String... command) throws IOException, InterruptedException {
        List<String> line = new ArrayList<>(List.of(command));
        Process process = new ProcessBuilder(line).redirectErrorStream(true).start();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError(String.join(" ", command) + " did not finish within 20 s");
        }
        return new Result(process.exitValue(), new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    }
}
