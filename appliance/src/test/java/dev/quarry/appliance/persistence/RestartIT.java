package dev.quarry.appliance.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.quarry.appliance.Appliance;
import dev.quarry.appliance.target.ChapSettings;
import dev.quarry.appliance.target.LunMapping;
import dev.quarry.appliance.target.TargetDefinition;
import dev.quarry.appliance.testing.ApplianceFixture;
import dev.quarry.iscsi.testing.LoginOptions;
import dev.quarry.iscsi.testing.ScsiResult;
import dev.quarry.iscsi.testing.TestInitiator;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What an admin configured and what hosts stored survives a restart of the appliance: targets,
 * their access list and CHAP secrets, LUN maps, the LUN's identity, persistent reservations
 * with APTPL, and the data written before; a snapshot mapped as a LUN is exported again, with
 * its identity and its old data.
 */
class RestartIT {

    private static final String TARGET = "iqn.2026-11.dev.quarry:restart";
    private static final String HOST = "iqn.2026-11.test:host-a";
    private static final String OTHER_HOST = "iqn.2026-11.test:host-b";
    private static final String USER = "host-a";
    private static final String SECRET = "host-a-secret-16";
    private static final long KEY = 0x0123_4567_89AB_CDEFL;
    /** LUN 1 as the 8-byte LUN field carries it (peripheral device addressing). */
    private static final long SNAPSHOT_LUN = 1L << 48;

    @TempDir
    Path data;

    @Test
    void shouldKeepTargetsChapAclsLunsIdentityReservationsAndDataAcrossARestart() throws Exception {
        byte[] pattern = new byte[4096];
        Arrays.fill(pattern, (byte) 0x5A);
        byte[] identityBefore;
        try (Appliance appliance = start(true)) {
            try (TestInitiator host = login(appliance, HOST, SECRET)) {
                assertThat(host.scsi().write10(0, 8, pattern, 512).status()).isZero();
                assertThat(host.scsi().execute(0, synchronizeCache10(), 0, null).status()).isZero();
                ScsiResult register = host.scsi().execute(0, registerWithAptpl(KEY), 24, registerParameters(KEY));
                assertThat(register.status()).as("sense %02X/%04X", register.senseKey(), register.ascAscq()).isZero();
                identityBefore = deviceIdentification(host);
            }
        }

        try (Appliance appliance = start(false)) {
            try (TestInitiator anonymous = TestInitiator.connect(appliance.iscsi().boundAddresses().get(0))) {
                assertThat(anonymous.login(options(HOST)).status()).as("no CHAP").isEqualTo(0x0201);
            }
            try (TestInitiator stranger = TestInitiator.connect(appliance.iscsi().boundAddresses().get(0))) {
                assertThat(stranger.login(options(OTHER_HOST).withChap(USER, SECRET)).status()).as("not in the ACL").isEqualTo(0x0202);
            }
            try (TestInitiator host = login(appliance, HOST, SECRET)) {
                ScsiResult read = host.scsi().read10(0, 8, 8, 512);
                assertThat(read.data()).isEqualTo(pattern);
                assertThat(deviceIdentification(host)).isEqualTo(identityBefore);
                ScsiResult keys = host.scsi().execute(0, readKeys(), 64, null);
                assertThat(keys.status()).isZero();
                ByteBuffer answer = ByteBuffer.wrap(keys.data());
                assertThat(answer.getInt(4)).as("ADDITIONAL LENGTH: one key").isEqualTo(8);
                assertThat(answer.getLong(8)).isEqualTo(KEY);
            }
        }
    }

    @Test
    void shouldExportAMappedSnapshotAgainAfterARestart() throws Exception {
        byte[] before = new byte[4096];
        Arrays.fill(before, (byte) 0x11);
        byte[] after = new byte[4096];
        Arrays.fill(after, (byte) 0x22);
        byte[] identityBefore;
        try (Appliance appliance = start(true)) {
            try (TestInitiator host = login(appliance, HOST, SECRET)) {
                assertThat(host.scsi().write10(0, 8, before, 512).status()).isZero();
                appliance.volumes().snapshots().createSnapshot("kept", "monday");
                assertThat(host.scsi().write10(0, 8, after, 512).status()).isZero();
            }
            appliance.targets().update(TARGET, t -> t.withLun(new LunMapping(1, "kept@monday", true)));
            try (TestInitiator host = login(appliance, HOST, SECRET)) {
                clearUnitAttentions(host, SNAPSHOT_LUN);
                identityBefore = deviceIdentification(host, SNAPSHOT_LUN);
            }
        }

        try (Appliance appliance = start(false)) {
            try (TestInitiator host = login(appliance, HOST, SECRET)) {
                clearUnitAttentions(host, SNAPSHOT_LUN);
                assertThat(host.scsi().read10(SNAPSHOT_LUN, 8, 8, 512).data()).isEqualTo(before);
                assertThat(host.scsi().read10(0, 8, 8, 512).data()).isEqualTo(after);
                assertThat(deviceIdentification(host, SNAPSHOT_LUN)).isEqualTo(identityBefore).isNotEqualTo(deviceIdentification(host, 0));
                assertThat(host.scsi().write10(SNAPSHOT_LUN, 8, after, 512).status()).as("a snapshot LUN is read-only").isNotZero();
            }
            assertThatThrownBy(() -> appliance.volumes().snapshots().deleteSnapshot("kept", "monday"))
                    .as("exported again after the restart").isInstanceOf(IllegalStateException.class);
        }
    }

    private Appliance start(boolean provision) throws Exception {
        return Appliance.start(ApplianceFixture.settings(data), (volumes, targets) -> {
            if (provision) {
                ApplianceFixture.pool(volumes, data, 256L << 20);
                ApplianceFixture.volume(volumes, "kept", 64L << 20);
                targets.create(TargetDefinition.open(TARGET)
                        .withAllowedInitiators(List.of(HOST))
                        .withChap(new ChapSettings(USER, SECRET, null, null))
                        .withLun(new LunMapping(0, "kept", false)));
            }
        });
    }

    private static LoginOptions options(String initiator) {
        return LoginOptions.normal(TARGET).withInitiatorName(initiator);
    }

    private static TestInitiator login(Appliance appliance, String initiator, String secret) {
        TestInitiator host = TestInitiator.connect(appliance.iscsi().boundAddresses().get(0));
        host.loginOrFail(options(initiator).withChap(USER, secret));
        clearUnitAttentions(host);
        return host;
    }

    /** A new nexus starts with a power-on unit attention; TEST UNIT READY collects it. */
    private static void clearUnitAttentions(TestInitiator host) {
        clearUnitAttentions(host, 0);
    }

    private static void clearUnitAttentions(TestInitiator host, long lun) {
        for (int i = 0; i < 4 && host.scsi().testUnitReady(lun).status() != 0; i++) {
            continue;
        }
    }

    private static byte[] deviceIdentification(TestInitiator host) {
        return deviceIdentification(host, 0);
    }

    private static byte[] deviceIdentification(TestInitiator host, long lun) {
        ScsiResult page = host.scsi().execute(lun, new byte[] {0x12, 0x01, (byte) 0x83, 0x01, 0x00, 0x00}, 256, null);
        assertThat(page.status()).as("LUN %X: status %02X sense %X/%04X", lun, page.status(), page.senseKey(), page.ascAscq()).isZero();
        return page.data();
    }

    private static byte[] synchronizeCache10() {
        return new byte[] {0x35, 0, 0, 0, 0, 0, 0, 0, 0, 0};
    }

    /** PERSISTENT RESERVE OUT, REGISTER, with a 24-byte parameter list. */
    private static byte[] registerWithAptpl(long key) {
        return new byte[] {0x5F, 0x00, 0x00, 0, 0, 0, 0, 0, 24, 0};
    }

    /** Reservation key 0, service action reservation key {@code key}, APTPL set. */
    private static byte[] registerParameters(long key) {
        ByteBuffer parameters = ByteBuffer.allocate(24);
        parameters.putLong(0, 0);
        parameters.putLong(8, key);
        parameters.put(20, (byte) 0x01);
        return parameters.array();
    }

    /** PERSISTENT RESERVE IN, READ KEYS. */
    private static byte[] readKeys() {
        return new byte[] {0x5E, 0x00, 0, 0, 0, 0, 0, 0, 64, 0};
    }
}
