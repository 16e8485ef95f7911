package dev.quarry.appliance.disk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CHAP secret store: durable, owner-only, and never in a locator the pool keeps. */
class ChapSecretsTest {

    @TempDir
    Path dir;

    @Test
    void shouldKeepSecretsAcrossReopenInAnOwnerOnlyFile() throws IOException {
        Path file = dir.resolve("secrets").resolve("iscsi-chap");
        ChapSecrets secrets = ChapSecrets.open(file);
        secrets.put("node1@10.0.0.7:3260/iqn.x", "first-secret-01");
        secrets.put("node2@10.0.0.8:3260/iqn.y", "second-secret-2");
        secrets.put("node1@10.0.0.7:3260/iqn.x", "rotated-secret-1");
        secrets.remove("node2@10.0.0.8:3260/iqn.y");
        assertThat(Files.getPosixFilePermissions(file)).isEqualTo(Set.of(PosixFilePermission.OWNER_READ,
                PosixFilePermission.OWNER_WRITE));
        assertThat(Files.readString(file)).doesNotContain("rotated-secret-1");
        ChapSecrets again = ChapSecrets.open(file);
        assertThat(again.find("node1@10.0.0.7:3260/iqn.x")).contains("rotated-secret-1");
        assertThat(again.find("node2@10.0.0.8:3260/iqn.y")).isEmpty();
    }

    @Test
    void shouldRefuseADamagedFile() throws IOException {
        Path file = dir.resolve("iscsi-chap");
        Files.writeString(file, "not base64 at all\n", StandardCharsets.US_ASCII);
        assertThatThrownBy(() -> ChapSecrets.open(file)).isInstanceOf(IOException.class);
    }

    @Test
    void shouldRegisterALocatorAsItsSecretFreeForm() throws IOException {
        try (IscsiDiskOpener opener = IscsiDiskOpener.start("iqn.2026-11.dev.quarry:register-test",
                dir.resolve("iscsi-chap"))) {
            String stored = opener.register("iscsi://node1%the-secret-123@127.0.0.1:3999/iqn.2026-11.dev.quarry:t/0");
            assertThat(stored).isEqualTo("iscsi://node1@127.0.0.1:3999/iqn.2026-11.dev.quarry:t/0");
            assertThat(opener.register("iscsi://127.0.0.1/iqn.2026-11.dev.quarry:t/1"))
                    .isEqualTo("iscsi://127.0.0.1:3260/iqn.2026-11.dev.quarry:t/1");
            assertThat(ChapSecrets.open(dir.resolve("iscsi-chap")).find("node1@127.0.0.1:3999/iqn.2026-11.dev.quarry:t"))
                    .contains("the-secret-123");
            assertThat(opener.handles(stored)).isTrue();
            assertThat(opener.handles("file:/dev/sdb")).isFalse();
            assertThatThrownBy(() -> opener.open("iscsi://nobody@127.0.0.1:3999/iqn.2026-11.dev.quarry:t/0"))
                    .isInstanceOf(IOException.class).hasMessageContaining("no CHAP secret filed");
        }
    }
}
