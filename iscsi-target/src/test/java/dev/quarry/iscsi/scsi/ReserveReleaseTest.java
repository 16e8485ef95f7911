package dev.quarry.iscsi.scsi;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReserveReleaseTest {

    private static final byte[] RESERVE_6 = Cdbs.bytes(0x16, 0, 0, 0, 0, 0);
    private static final byte[] RELEASE_6 = Cdbs.bytes(0x17, 0, 0, 0, 0, 0);
    private static final byte[] RESERVE_10 = Cdbs.bytes(0x56, 0, 0, 0, 0, 0, 0, 0, 0, 0);
    private static final byte[] RELEASE_10 = Cdbs.bytes(0x57, 0, 0, 0, 0, 0, 0, 0, 0, 0);

    @TempDir
    Path directory;
    private ScsiHarness harness;
    private Initiator a;
    private Initiator b;

    @BeforeEach
    void setUp() {
        harness = ScsiHarness.thin(directory);
        a = harness.initiator();
        b = harness.initiator(ScsiHarness.OTHER_INITIATOR, 0x22);
    }

    @AfterEach
    void tearDown() {
        harness.close();
    }

    @Test
    void shouldReserveForOneNexusAndConflictForTheOther() {
        assertThat(a.send(RESERVE_6).good()).isTrue();
        assertThat(a.send(RESERVE_6).good()).as("again from the holder").isTrue();
        assertThat(b.send(RESERVE_6).status()).isEqualTo(ScsiStatus.RESERVATION_CONFLICT);
        assertThat(b.send(RELEASE_6).good()).as("release by a non-holder does nothing").isTrue();
        assertThat(a.send(Cdbs.modeSense6(0, 0x3F, 0, 255, false)).good()).isTrue();
        assertThat(b.send(Cdbs.modeSense6(0, 0x3F, 0, 255, false)).status()).isEqualTo(ScsiStatus.RESERVATION_CONFLICT);
        assertThat(b.send(Cdbs.read10(0, 1)).status()).isEqualTo(ScsiStatus.RESERVATION_CONFLICT);
        assertThat(b.send(Cdbs.inquiry(false, 0, 96)).good()).isTrue();
        assertThat(b.send(Cdbs.reportLuns(0, 64)).good()).isTrue();
        assertThat(b.send(Cdbs.maintenanceIn(0x0A, 64)).good()).isTrue();
        assertThat(a.send(RELEASE_6).good()).isTrue();
        assertThat(b.send(RESERVE_10).good()).isTrue();
        assertThat(b.send(RELEASE_10).good()).isTrue();
    }

    @Test
    void shouldReleaseOnLogicalUnitReset() throws Exception {
        assertThat(a.send(RESERVE_6).good()).isTrue();
        a.port.logicalUnitReset(a.wireLun()).toCompletableFuture().get(10, TimeUnit.SECONDS);
        b.clearUnitAttentions();
        assertThat(b.send(RESERVE_6).good()).isTrue();
    }

    @Test
    void shouldReleaseOnTargetWarmResetWithPowerOnAttention() throws Exception {
        assertThat(a.send(RESERVE_6).good()).isTrue();
        a.port.targetReset(false).toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertThat(a.coldResets.get()).isZero();
        assertThat(a.send(Cdbs.testUnitReady()).code()).isEqualTo("06/29/00");
        b.clearUnitAttentions();
        assertThat(b.send(RESERVE_6).good()).isTrue();
    }

    @Test
    void shouldReleaseWhenTheHolderNexusIsLost() {
        assertThat(a.send(RESERVE_6).good()).isTrue();
        a.port.close();
        assertThat(b.send(RESERVE_6).good()).isTrue();
    }

    @Test
    void shouldRefuseThirdPartyReservations() {
        assertThat(a.send(Cdbs.bytes(0x16, 0x10, 0, 0, 0, 0)).code()).isEqualTo("05/24/00");
        assertThat(a.send(Cdbs.bytes(0x56, 0x10, 0, 0, 0, 0, 0, 0, 0, 0)).code()).isEqualTo("05/24/00");
    }

    @Test
    void shouldConflictWithAPersistentReservationUnlessHeld() {
        assertThat(PersistentReservationTest.out(a, 6, 0, 0, 0x1, 0).good()).isTrue();
        assertThat(PersistentReservationTest.out(a, 1, 1, 0x1, 0, 0).good()).isTrue();
        assertThat(a.send(RESERVE_6).good()).isTrue();
        assertThat(b.send(RESERVE_6).status()).isEqualTo(ScsiStatus.RESERVATION_CONFLICT);
        assertThat(b.send(RELEASE_6).status()).isEqualTo(ScsiStatus.RESERVATION_CONFLICT);
    }

    @Test
    void shouldConflictSanitizeWithAnotherNexusReservation() {
        assertThat(b.send(RESERVE_6).good()).isTrue();
        assertThat(a.send(Cdbs.sanitize(0x02, false, 0)).status()).isEqualTo(ScsiStatus.RESERVATION_CONFLICT);
    }
}
