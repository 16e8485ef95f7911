package dev.quarry.appliance.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.quarry.admin.http.Role;
import dev.quarry.appliance.ApplianceSettings;
import dev.quarry.appliance.ExitCodes;
import dev.quarry.appliance.QuarryCommand;
import dev.quarry.volume.VolumeManagerConfig;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The configuration file: the shipped one documents the code's defaults, owner-only mode, clear refusals. */
class ConfigFileTest {

    private static final Path SHIPPED = Path.of("src/dist/etc/quarry.yaml");
    private static final String TOKEN = "0123456789abcdef0123456789abcdef";

    @TempDir
    Path dir;

    private Path write(String yaml, String mode) throws Exception {
        Path file = dir.resolve("quarry.yaml");
        Files.writeString(file, yaml);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(mode));
        return file;
    }

    @Test
    void shouldShipAFileWhoseValuesAreTheCodesDefaults() throws Exception {
        Path copy = write(Files.readString(SHIPPED), "rw-------");
        QuarryConfig shipped = ConfigFile.load(copy);
        assertThat(shipped).usingRecursiveComparison().isEqualTo(new QuarryConfig(null, null, null, null, null, null, null, null, null));
        QuarryConfig withToken = new QuarryConfig(shipped.data(), shipped.iscsi(), shipped.http(),
                List.of(new QuarryConfig.Token("ops", QuarryConfig.TokenRole.ADMIN, TOKEN)), shipped.remoteDisks(), shipped.store(),
                shipped.commit(), shipped.gc(), shipped.volumes());
        ApplianceSettings settings = ConfigFile.settings(withToken, dir, List.of());
        VolumeManagerConfig defaults = VolumeManagerConfig.DEFAULT;
        assertThat(settings.volumes().store()).isEqualTo(defaults.store());
        assertThat(settings.volumes().commit()).isEqualTo(defaults.commit());
        assertThat(settings.volumes().gc()).isEqualTo(defaults.gc());
        assertThat(settings.volumes().mapCacheEntries()).isEqualTo(defaults.mapCacheEntries());
        assertThat(settings.volumes().volumeThreads()).isEqualTo(defaults.volumeThreads());
        assertThat(settings.iscsiPort()).isEqualTo(3260);
        assertThat(settings.httpBind()).isEqualTo("127.0.0.1");
        assertThat(settings.httpSecurity().auth().authenticate("Bearer " + TOKEN)).contains(Role.ADMIN);
        assertThat(settings.httpSecurity().tls()).isNull();
    }

    @Test
    void shouldReadEverySettingAndResolvePathsAgainstTheFilesFolder() throws Exception {
        Path file = write("""
                data: state
                iscsi: {bind: 127.0.0.1, port: 23260}
                http: {bind: 127.0.0.1, port: 28080}
                tokens:
                  - {name: ops, role: admin, token: %s}
                  - {name: mon, role: read-only, token: %sro}
                store: {blockCache: 16MiB, writeBuffers: 8MiB, backgroundJobs: 1}
                commit: {intervalMillis: 2, maxBatchOps: 100, maxPendingOps: 1000}
                gc: {intervalMillis: 50, idleLiveFraction: 0.1, pressureFreeFraction: 0.3, pressureLiveFraction: 0.7, segmentsPerPass: 2}
                volumes: {mapCacheEntries: 1024, threads: 2}
                """.formatted(TOKEN, TOKEN), "r--------");
        ApplianceSettings settings = ConfigFile.settings(ConfigFile.load(file), dir, List.of());
        assertThat(settings.data()).isEqualTo(dir.resolve("state"));
        assertThat(settings.iscsiPort()).isEqualTo(23260);
        assertThat(settings.httpPort()).isEqualTo(28080);
        assertThat(settings.volumes().store().blockCacheBytes()).isEqualTo(16L << 20);
        assertThat(settings.volumes().commit().maxBatchOps()).isEqualTo(100);
        assertThat(settings.volumes().gc().segmentsPerPass()).isEqualTo(2);
        assertThat(settings.volumes().volumeThreads()).isEqualTo(2);
        assertThat(settings.httpSecurity().auth().authenticate("Bearer " + TOKEN + "ro")).contains(Role.READ_ONLY);
    }

    @Test
    void shouldRefuseAFileOthersCanRead() throws Exception {
        Path file = write("tokens: []\n", "rw-r--r--");
        assertThatThrownBy(() -> ConfigFile.load(file)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("mode 0644").hasMessageContaining("chmod 600 " + file);
    }

    @Test
    void shouldExitWithTheConfigurationCodeAndSayWhy() throws Exception {
        Path file = write("tokens: []\n", "rw-rw----");
        StringWriter err = new StringWriter();
        CommandLine cli = QuarryCommand.commandLine();
        cli.setErr(new PrintWriter(err));
        assertThat(cli.execute("serve", "--config", file.toString())).isEqualTo(ExitCodes.CONFIGURATION);
        assertThat(err.toString()).contains("chmod 600");
    }

    @Test
    void shouldNameUnknownSettingsAndBadValues() throws Exception {
        assertThatThrownBy(() -> ConfigFile.load(write("iscsi: {prot: 3260}\n", "rw-------")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("unknown setting 'prot'");
        assertThatThrownBy(() -> ConfigFile.load(write("iscsi: {port: many}\n", "rw-------")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("iscsi.port");
        QuarryConfig badSize = ConfigFile.load(write("store: {blockCache: lots}\ntokens: [{name: a, role: admin, token: " + TOKEN + "}]\n",
                "rw-------"));
        assertThatThrownBy(() -> ConfigFile.settings(badSize, dir, List.of())).isInstanceOf(ConfigException.class)
                .hasMessageContaining("not a size");
    }

    @Test
    void shouldRequireAnAdminTokenAndNeverEchoAToken() throws Exception {
        QuarryConfig none = ConfigFile.load(write("tokens: [{name: mon, role: read-only, token: " + TOKEN + "}]\n", "rw-------"));
        assertThatThrownBy(() -> ConfigFile.settings(none, dir, List.of())).hasMessageContaining("no token with role admin");
        QuarryConfig shortToken = ConfigFile.load(write("tokens: [{name: a, role: admin, token: short-secret}]\n", "rw-------"));
        assertThatThrownBy(() -> ConfigFile.settings(shortToken, dir, List.of())).hasMessageContaining("at least 16")
                .hasMessageNotContaining("short-secret");
        assertThat(none.toString()).doesNotContain(TOKEN);
    }
}
