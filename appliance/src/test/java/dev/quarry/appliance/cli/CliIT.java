package dev.quarry.appliance.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.quarry.admin.http.HttpApiServer;
import dev.quarry.admin.http.Role;
import dev.quarry.admin.http.TokenAuthenticator;
import dev.quarry.appliance.Appliance;
import dev.quarry.appliance.ExitCodes;
import dev.quarry.appliance.QuarryCommand;
import dev.quarry.appliance.serve.AdminTls;
import dev.quarry.appliance.testing.ApplianceFixture;
import dev.quarry.appliance.testing.ExternalTool;
import dev.quarry.appliance.testing.TestCertificates;
import dev.quarry.volume.disk.FileDisk;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code quarry} commands run in-process against a real appliance over HTTPS with tokens:
 * what they print (tables, sizes, JSON), the exit codes scripts rely on, confirmation, --wait
 * with a progress bar, and the completion script; plus qemu-img reading the LUN they set up.
 */
class CliIT {

    private static final String ADMIN = "cli-admin-token-0123456789";
    private static final String READER = "cli-reader-token-0123456789";
    private static final String TARGET = "iqn.2026-11.dev.quarry:cli";

    @TempDir
    static Path dir;

    private static Appliance appliance;
    private static Path config;
    private static Path readerConfig;

    /** What one command printed and returned. */
    record Run(int exitCode, String out, String err) {
        JsonNode json() throws Exception {
            return new ObjectMapper().readTree(out);
        }
    }

    @BeforeAll
    static void start() throws Exception {
        TestCertificates.Generated tls = TestCertificates.generate(dir);
        HttpApiServer.Security security = new HttpApiServer.Security(
                TokenAuthenticator.of(Map.of(ADMIN, Role.ADMIN, READER, Role.READ_ONLY)),
                AdminTls.serverContext(tls.certificate(), tls.privateKey()));
        appliance = Appliance.start(ApplianceFixture.settings(dir.resolve("data")).withHttpSecurity(security), (v, t) -> { });
        config = clientConfig("client.yaml", ADMIN, tls.certificate());
        readerConfig = clientConfig("reader.yaml", READER, tls.certificate());
    }

    private static Path clientConfig(String name, String token, Path certificate) throws Exception {
        Path file = dir.resolve(name);
        Files.writeString(file, """
                http: {bind: 127.0.0.1, port: %d, tls: {certificate: %s, privateKey: unused.key}}
                tokens: [{name: t, role: admin, token: %s}]
                """.formatted(appliance.http().port(), certificate, token));
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        return file;
    }

    @AfterAll
    static void stop() {
        appliance.close();
    }

    static Run quarry(Path with, String... args) {
        String[] all = new String[args.length + 2];
        System.arraycopy(args, 0, all, 0, args.length);
        all[args.length] = "--config";
        all[args.length + 1] = with.toString();
        return plain(all);
    }

    static Run plain(String... all) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = QuarryCommand.commandLine().setOut(new PrintWriter(out)).setErr(new PrintWriter(err)).execute(all);
        return new Run(code, out.toString(), err.toString());
    }

    static Run quarry(String... args) {
        return quarry(config, args);
    }

    private static String disk(String name) throws Exception {
        Path file = dir.resolve(name);
        FileDisk.open(file, FileDisk.Options.buffered(256L << 20)).close();
        return file.toString();
    }

    @Test
    void shouldSetUpAChapProtectedLunThatQemuReads() throws Exception {
        assertThat(quarry("pool", "create", "tank", "--segment-size", "4MiB").exitCode()).isZero();
        assertThat(quarry("pool", "create", "tank", "--segment-size", "4MiB").exitCode()).isZero();
        Run added = quarry("disk", "add", "tank", disk("tank-0.img"), "--tier", "SATA");
        assertThat(added.exitCode()).as(added.err()).isZero();
        assertThat(added.out()).matches("(?s)Disk \\d+ is in pool tank \\(2\\d\\d\\.\\d MiB\\)\\.\\s*");
        assertThat(quarry("disk", "add", "tank", disk("tank-1.img")).exitCode()).isZero();
        Run volume = quarry("volume", "create", "tank/vol1", "--size", "64MiB");
        assertThat(volume.out()).isEqualToIgnoringNewLines("Volume tank/vol1 ready (64.0 MiB).");
        assertThat(quarry("target", "create", TARGET, "--alias", "cli-test").exitCode()).isZero();
        Path secret = dir.resolve("chap.secret");
        Files.writeString(secret, "cli-chap-secret-42\n");
        assertThat(quarry("chap", "set", TARGET, "--user", "cliuser", "--secret-file", secret.toString()).exitCode()).isZero();
        assertThat(quarry("lun", "map", TARGET, "0", "tank/vol1").out()).contains("LUN 0 of " + TARGET + " is tank/vol1");

        Run list = quarry("volume", "list");
        assertThat(list.out().lines().findFirst().orElseThrow()).startsWith("NAME").contains("SIZE").contains("USED");
        assertThat(list.out()).contains("tank/vol1").contains("64.0 MiB");
        Run shown = quarry("target", "show", TARGET);
        assertThat(shown.out()).contains("cliuser").contains("0 -> vol1").doesNotContain("cli-chap-secret-42");
        JsonNode json = quarry("pool", "list", "--json").json();
        assertThat(json.isArray()).isTrue();
        assertThat(json.findValuesAsText("name")).contains("tank");
        assertThat(quarry("disk", "list", "tank").out()).contains("SATA").contains("tank-0.img");

        String url = "iscsi://cliuser%cli-chap-secret-42@" + ApplianceFixture.portal(appliance) + "/" + TARGET + "/0";
        ExternalTool.Result info = ExternalTool.run(Duration.ofSeconds(60), "qemu-img", "info", url);
        assertThat(info.output()).as(info.toString()).contains("virtual size: 64 MiB");
    }

    @Test
    void shouldExitWithTheDocumentedCodes() throws Exception {
        assertThat(quarry("volume", "show", "absent").exitCode()).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(quarry("pool", "create", "codes").exitCode()).isZero();
        Run conflict = quarry("pool", "create", "codes", "--hard-limit", "99");
        assertThat(conflict.exitCode()).isEqualTo(ExitCodes.CONFLICT);
        assertThat(conflict.err()).startsWith("quarry: ").contains("other settings");
        assertThat(quarry("volume", "create", "codes/v", "--size", "lots").exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(quarry("volume", "create", "v", "--size", "1MiB").exitCode()).isEqualTo(ExitCodes.USAGE);
        Run snapshotAsVolume = quarry("volume", "show", "codes/v@monday");
        assertThat(snapshotAsVolume.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(snapshotAsVolume.err()).contains("quarry snapshot show codes/v@monday");
        assertThat(quarry(readerConfig, "pool", "create", "ro").exitCode()).isEqualTo(ExitCodes.AUTH);
        assertThat(quarry(readerConfig, "pool", "list").exitCode()).isZero();
        Run refused = quarry("target", "delete", "iqn.2026-11.dev.quarry:whatever");
        assertThat(refused.exitCode()).isEqualTo(ExitCodes.ABORTED);
        assertThat(refused.err()).contains("--yes");
        assertThat(quarry("target", "delete", "iqn.2026-11.dev.quarry:whatever", "--yes").exitCode()).isZero();
        Run unreachable = quarry("pool", "list", "--url", "http://127.0.0.1:1");
        assertThat(unreachable.exitCode()).isEqualTo(ExitCodes.UNREACHABLE);
        assertThat(quarry("pool").exitCode()).isEqualTo(ExitCodes.USAGE);
    }

    @Test
    void shouldWaitForADrainWithAProgressBar() throws Exception {
        assertThat(quarry("pool", "create", "drain", "--segment-size", "1MiB").exitCode()).isZero();
        quarry("disk", "add", "drain", disk("drain-0.img"));
        quarry("disk", "add", "drain", disk("drain-1.img"));
        String id = quarry("disk", "list", "drain", "--json").json().get(0).get("id").asText();
        Run drained = quarry("disk", "remove", "drain", id, "--yes", "--wait");
        assertThat(drained.exitCode()).as(drained.err()).isZero();
        assertThat(drained.err()).contains("100.0%").contains("[##############################]");
        assertThat(drained.out()).contains("done");
        assertThat(quarry("disk", "remove", "drain", id, "--yes").out()).contains("already removed");
        assertThat(quarry("job", "list").out()).contains("SUCCEEDED");
    }

    @Test
    void shouldTakeMapCloneRollBackAndDeleteSnapshots() throws Exception {
        assertThat(quarry("pool", "create", "snap", "--segment-size", "1MiB").exitCode()).isZero();
        quarry("disk", "add", "snap", disk("snap-0.img"));
        assertThat(quarry("volume", "create", "snap/sv", "--size", "16MiB").exitCode()).isZero();
        Run taken = quarry("snapshot", "create", "snap/sv@monday");
        assertThat(taken.exitCode()).as(taken.err()).isZero();
        assertThat(taken.out()).isEqualToIgnoringNewLines("Snapshot sv@monday taken.");
        assertThat(quarry("snapshot", "create", "sv@monday").exitCode()).as("the same snapshot again").isZero();
        assertThat(quarry("snapshot", "create", "sv@tuesday").exitCode()).isZero();

        Run list = quarry("snapshot", "list", "snap/sv");
        assertThat(list.out().lines().findFirst().orElseThrow()).startsWith("NAME").contains("SIZE").contains("CREATED");
        assertThat(list.out()).contains("sv@monday").contains("sv@tuesday").contains("16.0 MiB");
        assertThat(quarry("snapshot", "show", "sv@monday", "--json").json().get("fullName").asText()).isEqualTo("sv@monday");
        assertThat(quarry("volume", "show", "sv").out()).contains("Snapshots:").contains("2");

        String target = "iqn.2026-11.dev.quarry:cli-snap";
        assertThat(quarry("target", "create", target).exitCode()).isZero();
        Run mapped = quarry("lun", "map", target, "0", "snap/sv@monday");
        assertThat(mapped.exitCode()).as(mapped.err()).isZero();
        assertThat(mapped.out()).contains("is snap/sv@monday (read-only).");
        Run inUse = quarry("snapshot", "delete", "sv@monday", "--yes");
        assertThat(inUse.exitCode()).isEqualTo(ExitCodes.CONFLICT);
        assertThat(inUse.err()).contains("LUN 0 of target " + target);
        String url = ApplianceFixture.url(appliance, target, 0);
        ExternalTool.Result info = ExternalTool.run(Duration.ofSeconds(60), "qemu-img", "info", url);
        assertThat(info.output()).as(info.toString()).contains("virtual size: 16 MiB");
        assertThat(quarry("lun", "unmap", target, "0", "--yes").exitCode()).isZero();

        Run cloned = quarry("snapshot", "clone", "snap/sv@monday", "snap/sv-clone", "--wait");
        assertThat(cloned.exitCode()).as(cloned.err()).isZero();
        assertThat(cloned.err()).contains("100.0%");
        assertThat(quarry("volume", "show", "sv-clone", "--json").json().get("origin").asText()).isEqualTo("sv@monday");
        assertThat(quarry("snapshot", "clone", "sv@monday", "other/sv-clone2").exitCode()).isEqualTo(ExitCodes.USAGE);

        Run unconfirmed = quarry("snapshot", "rollback", "sv@monday");
        assertThat(unconfirmed.exitCode()).isEqualTo(ExitCodes.ABORTED);
        assertThat(unconfirmed.err()).contains("--yes");
        Run rolled = quarry("snapshot", "rollback", "sv@monday", "--yes", "--wait");
        assertThat(rolled.exitCode()).as(rolled.err()).isZero();
        assertThat(rolled.out()).contains("done");

        assertThat(quarry("snapshot", "delete", "sv@monday", "--yes", "--wait").exitCode()).isZero();
        Run deleted = quarry("snapshot", "delete", "sv@tuesday", "--yes", "--json");
        assertThat(deleted.json().get("id").asText()).isNotEmpty();
        assertThat(quarry("snapshot", "delete", "sv@monday", "--yes").out()).contains("already deleted");
        assertThat(quarry("snapshot", "show", "sv@monday").exitCode()).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(quarry("snapshot", "show", "other/sv@tuesday").exitCode()).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(quarry("snapshot", "show", "sv").exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(quarry("snapshot", "create", "sv@-bad").exitCode()).isEqualTo(ExitCodes.USAGE);
    }

    @Test
    void shouldPrintACompletionScriptAndTokens() {
        Run completion = plain("completion");
        assertThat(completion.out()).contains("complete -F").contains("volume").contains("--json")
                .contains("snapshot").contains("rollback").contains("clone");
        Run token = plain("token", "generate");
        assertThat(token.out().strip()).matches("[0-9a-f]{48}");
    }
}
