package dev.quarry.iscsi.scsi;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

class PersistentReservationTest {

    private static final int REGISTER = 0;
    private static final int RESERVE = 1;
    private static final int RELEASE = 2;
    private static final int CLEAR = 3;
    private static final int PREEMPT = 4;
    private static final int PREEMPT_AND_ABORT = 5;
    private static final int REGISTER_AND_IGNORE = 6;
    private static final int REGISTER_AND_MOVE = 7;
    private static final int APTPL = 0x01;

    @TempDir
    Path directory;
    private ScsiHarness harness;
    private Initiator a;
    private Initiator b;

    @BeforeEach
    void setUp() {
        harness = ScsiHarness.thin(directory);
        a = harness.initiator();
        b = harness.initiator(ScsiHarness.OTHER_INITIATOR, 0x4000_0000_0002L);
    }

    @AfterEach
    void tearDown() {
        harness.close();
    }

    static Reply out(Initiator host, int serviceAction, int type, long key, long serviceActionKey, int flags) {
        byte[] list = Cdbs.prOutParameters(key, serviceActionKey, flags);
        return host.send(Cdbs.persistentReserveOut(serviceAction, type, list.length), list);
    }

    static Reply in(Initiator host, int serviceAction) {
        return host.send(Cdbs.persistentReserveIn(serviceAction, 4096));
    }

    private static void register(Initiator host, long key) {
        assertThat(out(host, REGISTER_AND_IGNORE, 0, 0, key, 0).good()).isTrue();
    }

    @Test
    void shouldRegisterReadKeysAndRefuseReRegistrationWithWrongKey() {
        register(a, 0xAAAA);
        Reply keys = in(a, 0);
        assertThat(keys.u32(4)).isEqualTo(8);
        assertThat(keys.u64(8)).isEqualTo(0xAAAA);
        assertThat(out(a, REGISTER, 0, 0, 0xAAAB, 0).status()).isEqualTo(ScsiStatus.RESERVATION_CONFLICT);
        assertThat(out(a, REGISTER, 0, 0xAAAA, 0xAAAB, 0).good()).isTrue();
        assertThat(in(a, 0).u64(8)).isEqualTo(0xAAAB);
        assertThat(out(a, REGISTER, 0, 0xAAAB, 0, 0).good()).as("unregister").isTrue();
        assertThat(in(a, 0).u32(4)).isZero();
        assertThat(out(b, REGISTER, 0, 5, 6, 0).status()).as("unregistered with a key").isEqualTo(ScsiStatus.RESERVATION_CONFLICT);
    }

    @Test
    void shouldCountGenerationsOfRegistrationsButNotOfReserveAndRelease() {
        long start = in(a, 0).u32(0);
        register(a, 1);
        assertThat(out(a, RESERVE, 3, 1, 0, 0).good()).isTrue();
        assertThat(out(a, RELEASE, 3, 1, 0, 0).good()).isTrue();
        assertThat(in(a, 0).u32(0)).isEqualTo(start + 1);
        assertThat(out(a, CLEAR, 0, 1, 0, 0).good()).isTrue();
        assertThat(in(a, 0).u32(0)).isEqualTo(start + 2);
    }

    @Test
    void shouldKeepReadKeysAdditionalLengthWhenTruncated() {
        register(a, 1);
        Reply reply = a.send(Cdbs.persistentReserveIn(0, 8));
        assertThat(reply.data()).hasSize(8);
        assertThat(reply.u32(4)).isEqualTo(8);
    }

    @ParameterizedTest
    @EnumSource(ReservationType.class)
    void shouldReserveReadTheReservationAndReleaseForEveryType(ReservationType type) {
        register(a, 0x11);
        assertThat(out(a, RESERVE, type.code(), 0x11, 0, 0).good()).isTrue();
        Reply reservation = in(a, 1);
        assertThat(reservation.u32(4)).isEqualTo(16);
        assertThat(reservation.u64(8)).isEqualTo(type.allRegistrants() ? 0 : 0x11);
        assertThat(reservation.u8(21) & 0x0F).isEqualTo(type.code());
        assertThat(out(a, RESERVE, type.code(), 0x11, 0, 0).good()).as("again: no change").isTrue();
        assertThat(out(a, RELEASE, type.code(), 0x11, 0, 0).good()).isTrue();
        assertThat(in(a, 1).u32(4)).isZero();
    }

    @ParameterizedTest
    @CsvSource({
        "1, true, false, true, false",
        "3, false, false, false, false",
        "5, true, true, true, false",
        "6, true, true, false, false",
        "7, true, true, true, false",
        "8, true, true, false, false"})
    void shouldEnforceAccessOfOtherNexusesPerReservationType(int type, boolean registeredRead, boolean registeredWrite,
                                                            boolean unregisteredRead, boolean unregisteredWrite) {
        register(a, 0x1);
        register(b, 0x2);
        assertThat(out(a, RESERVE, type, 0x1, 0, 0).good()).isTrue();
        assertThat(a.send(Cdbs.read10(1, 1)).good()).isTrue();
        assertThat(a.send(Cdbs.write10(1, 1), new byte[512]).good()).isTrue();
        assertThat(b.send(Cdbs.read10(1, 1)).good()).isEqualTo(registeredRead);
        assertThat(b.send(Cdbs.write10(1, 1), new byte[512]).good()).isEqualTo(registeredWrite);
        assertThat(out(b, REGISTER, 0, 0x2, 0, 0).good()).isTrue();
        Reply read = b.send(Cdbs.read10(1, 1));
        assertThat(read.good()).isEqualTo(unregisteredRead);
        if (!unregisteredRead) {
            assertThat(read.status()).isEqualTo(ScsiStatus.RESERVATION_CONFLICT);
        }
        assertThat(b.send(Cdbs.write10(1, 1), new byte[512]).good()).isEqualTo(unregisteredWrite);
        assertThat(b.send(Cdbs.inquiry(false, 0, 96)).good()).isTrue();
        assertThat(b.send(Cdbs.testUnitReady()).good()).isTrue();
        assertThat(b.send(Cdbs.readCapacity10()).good()).isTrue();
        assertThat(in(b, 0).good()).isTrue();
    }

    @ParameterizedTest
    @CsvSource({"1, false", "3, false", "5, false", "6, false", "7, true", "8, true"})
    void shouldReleaseOrKeepTheReservationWhenTheHolderUnregisters(int type, boolean shared) {
        register(a, 0x1);
        register(b, 0x2);
        assertThat(out(a, RESERVE, type, 0x1, 0, 0).good()).isTrue();
        assertThat(out(a, REGISTER, 0, 0x1, 0, 0).good()).isTrue();
        Reply reservation = in(a, 1);
        assertThat(reservation.u32(4)).isEqualTo(shared ? 16 : 0);
        if (shared) {
            assertThat(out(b, RELEASE, type, 0x2, 0, 0).good()).isTrue();
            assertThat(in(a, 1).u32(4)).isZero();
        }
        if (type == 5 || type == 6) {
            assertThat(b.send(Cdbs.testUnitReady()).code()).isEqualTo("06/2A/04");
        }
    }

    @Test
    void shouldRefuseReleaseWithAnotherTypeAndReserveByOtherNexus() {
        register(a, 0x1);
        register(b, 0x2);
        assertThat(out(a, RESERVE, 1, 0x1, 0, 0).good()).isTrue();
        assertThat(out(b, RESERVE, 1, 0x2, 0, 0).status()).isEqualTo(ScsiStatus.RESERVATION_CONFLICT);
        assertThat(out(a, RELEASE, 3, 0x1, 0, 0).code()).isEqualTo("05/26/04");
        assertThat(out(b, RELEASE, 1, 0x2, 0, 0).good()).as("not the holder: nothing happens").isTrue();
        assertThat(in(a, 1).u32(4)).isEqualTo(16);
        assertThat(out(a, RESERVE, 9, 0x1, 0, 0).code()).isEqualTo("05/24/00");
        assertThat(out(a, RESERVE, 0x11, 0x1, 0, 0).code()).as("scope other than LU").isEqualTo("05/24/00");
    }

    @Test
    void shouldClearEverythingAndTellTheOthers() {
        register(a, 0x1);
        register(b, 0x2);
        assertThat(out(a, RESERVE, 3, 0x1, 0, 0).good()).isTrue();
        assertThat(out(b, CLEAR, 0, 0x2, 0, 0).good()).isTrue();
        assertThat(in(b, 0).u32(4)).isZero();
        assertThat(in(b, 1).u32(4)).isZero();
        assertThat(a.send(Cdbs.testUnitReady()).code()).isEqualTo("06/2A/03");
    }

    @Test
    void shouldPreemptARegistrationWithoutReservation() {
        register(a, 0x1);
        register(b, 0x2);
        long generation = in(a, 0).u32(0);
        assertThat(out(b, PREEMPT, 3, 0x2, 0x1, 0).good()).isTrue();
        Reply keys = in(b, 0);
        assertThat(keys.u32(4)).isEqualTo(8);
        assertThat(keys.u64(8)).isEqualTo(0x2);
        assertThat(keys.u32(0)).isEqualTo(generation + 1);
        assertThat(a.send(Cdbs.testUnitReady()).code()).isEqualTo("06/2A/05");
        assertThat(out(b, PREEMPT, 3, 0x2, 0x77, 0).status()).as("no such key").isEqualTo(ScsiStatus.RESERVATION_CONFLICT);
        assertThat(out(b, PREEMPT, 3, 0x2, 0, 0).code()).isEqualTo("05/26/00");
    }

    @Test
    void shouldPreemptTheHolderAndTakeTheReservation() {
        register(a, 0x1);
        register(b, 0x2);
        assertThat(out(a, RESERVE, 3, 0x1, 0, 0).good()).isTrue();
        assertThat(out(b, PREEMPT_AND_ABORT, 1, 0x2, 0x1, 0).good()).isTrue();
        Reply reservation = in(b, 1);
        assertThat(reservation.u64(8)).isEqualTo(0x2);
        assertThat(reservation.u8(21)).isEqualTo(1);
        assertThat(a.send(Cdbs.testUnitReady()).code()).isEqualTo("06/2A/05");
        assertThat(a.send(Cdbs.write10(0, 1), new byte[512]).status()).isEqualTo(ScsiStatus.RESERVATION_CONFLICT);
    }

    @Test
    void shouldPreemptEveryOtherRegistrantOfAnAllRegistrantsReservation() {
        register(a, 0x1);
        register(b, 0x2);
        assertThat(out(a, RESERVE, 8, 0x1, 0, 0).good()).isTrue();
        assertThat(out(b, PREEMPT, 3, 0x2, 0, 0).good()).isTrue();
        assertThat(in(b, 0).u32(4)).isEqualTo(8);
        assertThat(in(b, 1).u8(21)).isEqualTo(3);
    }

    @Test
    void shouldRegisterForAllTargetPortsAndListFullStatus() {
        Initiator otherPort = harness.freshInitiator(ScsiHarness.INITIATOR, 0x023d_0000_0001L, 2);
        otherPort.clearUnitAttentions();
        assertThat(out(a, REGISTER, 0, 0, 0x9, 0x04).good()).isTrue();
        assertThat(out(otherPort, RESERVE, 1, 0x9, 0, 0).good()).isTrue();
        Reply full = in(a, 3);
        assertThat(full.u32(4)).isGreaterThan(24);
        assertThat(full.u64(8)).isEqualTo(0x9);
        assertThat(full.u8(20) & 0x03).as("ALL_TG_PT and R_HOLDER").isEqualTo(0x03);
        assertThat(full.u8(21)).isEqualTo(1);
        int idLength = (int) full.u32(28);
        String id = new String(full.data(), 36, idLength - 4, java.nio.charset.StandardCharsets.UTF_8).trim();
        assertThat(id).startsWith(ScsiHarness.INITIATOR + ",i,0x023d00000001");
    }

    @Test
    void shouldReportCapabilities() {
        Reply caps = in(a, 2);
        assertThat(caps.u16(0)).isEqualTo(8);
        assertThat(caps.u8(2) & 0x1D).isEqualTo(0x1D);
        assertThat((caps.u8(3) >> 4) & 0x07).isLessThanOrEqualTo(5);
        assertThat(caps.u16(4)).isEqualTo(0xEA01);
        assertThat(in(a, 4).code()).isEqualTo("05/24/00");
    }

    @Test
    void shouldRefuseParameterListOfWrongLength() {
        byte[] list = new byte[23];
        assertThat(a.send(Cdbs.persistentReserveOut(REGISTER, 0, 23), list).code()).isEqualTo("05/1A/00");
        byte[] longer = new byte[28];
        assertThat(a.send(Cdbs.persistentReserveOut(REGISTER, 0, 28), longer).code()).isEqualTo("05/1A/00");
    }

    @Test
    void shouldRegisterSpecifiedInitiatorPorts() {
        byte[] id = new TransportId(ScsiHarness.OTHER_INITIATOR, 0x4000_0000_0002L).encode();
        byte[] list = new byte[28 + id.length];
        System.arraycopy(Cdbs.prOutParameters(0, 0x5, 0x08), 0, list, 0, 24);
        Cdbs.putInt(list, 24, id.length);
        System.arraycopy(id, 0, list, 28, id.length);
        assertThat(a.send(Cdbs.persistentReserveOut(REGISTER, 0, list.length), list).good()).isTrue();
        assertThat(in(a, 0).u32(4)).isEqualTo(16);
        assertThat(out(b, RESERVE, 1, 0x5, 0, 0).good()).as("b was registered by a").isTrue();
    }

    @Test
    void shouldMoveTheReservationToAnotherInitiatorPort() {
        register(a, 0x1);
        assertThat(out(a, RESERVE, 1, 0x1, 0, 0).good()).isTrue();
        byte[] id = new TransportId(ScsiHarness.OTHER_INITIATOR, 0x4000_0000_0002L).encode();
        byte[] list = new byte[24 + id.length];
        Cdbs.putLong(list, 0, 0x1);
        Cdbs.putLong(list, 8, 0x2);
        list[17] = 0x02;
        Cdbs.putShort(list, 18, 1);
        Cdbs.putInt(list, 20, id.length);
        System.arraycopy(id, 0, list, 24, id.length);
        assertThat(a.send(Cdbs.persistentReserveOut(REGISTER_AND_MOVE, 1, list.length), list).good()).isTrue();
        Reply reservation = in(b, 1);
        assertThat(reservation.u64(8)).isEqualTo(0x2);
        assertThat(in(b, 0).u32(4)).as("a unregistered").isEqualTo(8);
        assertThat(b.send(Cdbs.write10(0, 1), new byte[512]).good()).isTrue();
        assertThat(a.send(Cdbs.write10(0, 1), new byte[512]).status()).isEqualTo(ScsiStatus.RESERVATION_CONFLICT);
    }

    @Test
    void shouldRestoreReservationsPersistedWithAptplAfterRestart() {
        assertThat(out(a, REGISTER, 0, 0, 0xABCDEF, APTPL).good()).isTrue();
        assertThat(out(b, REGISTER_AND_IGNORE, 0, 0, 0x2, APTPL).good()).isTrue();
        assertThat(out(a, RESERVE, 5, 0xABCDEF, 0, 0).good()).isTrue();
        assertThat(in(a, 2).u8(3) & 0x01).as("PTPL_A").isEqualTo(1);
        long generation = in(a, 0).u32(0);
        harness.close();
        harness = ScsiHarness.thin(directory);
        Initiator sameA = harness.initiator();
        Initiator sameB = harness.initiator(ScsiHarness.OTHER_INITIATOR, 0x4000_0000_0002L);
        Reply keys = in(sameA, 0);
        assertThat(keys.u32(0)).isEqualTo(generation);
        assertThat(keys.u32(4)).isEqualTo(16);
        Reply reservation = in(sameA, 1);
        assertThat(reservation.u64(8)).isEqualTo(0xABCDEF);
        assertThat(reservation.u8(21)).isEqualTo(5);
        assertThat(sameB.send(Cdbs.write10(0, 1), new byte[512]).good()).as("registrant of WE-RO").isTrue();
        Initiator stranger = harness.initiator("iqn.2026-01.dev.quarry:host-c", 3);
        assertThat(stranger.send(Cdbs.write10(0, 1), new byte[512]).status()).isEqualTo(ScsiStatus.RESERVATION_CONFLICT);
    }

    @Test
    void shouldForgetReservationsOnRestartWithoutAptpl() {
        register(a, 0x1);
        assertThat(out(a, RESERVE, 1, 0x1, 0, 0).good()).isTrue();
        harness.close();
        harness = ScsiHarness.thin(directory);
        Initiator again = harness.initiator();
        assertThat(in(again, 0).u32(4)).isZero();
        assertThat(in(again, 1).u32(4)).isZero();
    }

    @Test
    void shouldConflictPrInAndPrOutWithAnotherNexusLegacyReservation() {
        assertThat(b.send(Cdbs.bytes(0x16, 0, 0, 0, 0, 0)).good()).isTrue();
        assertThat(in(a, 0).status()).isEqualTo(ScsiStatus.RESERVATION_CONFLICT);
        assertThat(a.send(Cdbs.inquiry(false, 0, 96)).good()).isTrue();
        assertThat(b.send(Cdbs.bytes(0x17, 0, 0, 0, 0, 0)).good()).isTrue();
        assertThat(in(a, 0).good()).isTrue();
    }

    @Test
    void shouldAnswerDeviceReportsUnderExclusiveAccessAndAnotherNexusLegacyReservation() {
        register(b, 0x2);
        assertThat(out(b, RESERVE, 3, 0x2, 0, 0).good()).isTrue();
        assertThat(a.send(Cdbs.read10(0, 1)).status()).isEqualTo(ScsiStatus.RESERVATION_CONFLICT);
        assertThat(a.send(Cdbs.reportSupportedOpcodes(false, 0, 0, 0, 4096)).good()).isTrue();
        assertThat(a.send(Cdbs.maintenanceIn(0x0D, 4)).good()).isTrue();
        assertThat(a.send(Cdbs.maintenanceIn(0x0A, 1024)).good()).isTrue();
        assertThat(out(b, RELEASE, 3, 0x2, 0, 0).good()).isTrue();
        assertThat(b.send(Cdbs.bytes(0x16, 0, 0, 0, 0, 0)).status()).isEqualTo(ScsiStatus.RESERVATION_CONFLICT);
        assertThat(out(b, REGISTER_AND_IGNORE, 0, 0, 0, 0).good()).isTrue();
        assertThat(b.send(Cdbs.bytes(0x16, 0, 0, 0, 0, 0)).good()).isTrue();
        assertThat(a.send(Cdbs.reportSupportedOpcodes(false, 0, 0, 0, 4096)).good()).isTrue();
        assertThat(a.send(Cdbs.maintenanceIn(0x0D, 4)).good()).isTrue();
    }

    @Test
    void shouldTreatLegacyReserveAsNoOpForRegistrantsOfARegistrantsOnlyReservationAndConflictOtherwise() {
        register(a, 0x1);
        register(b, 0x2);
        assertThat(out(b, RESERVE, 5, 0x2, 0, 0).good()).isTrue();
        assertThat(a.send(Cdbs.bytes(0x16, 0, 0, 0, 0, 0)).good()).isTrue();
        assertThat(a.send(Cdbs.write10(0, 1), new byte[512]).good()).isTrue();
        assertThat(a.send(Cdbs.bytes(0x17, 0, 0, 0, 0, 0)).good()).isTrue();
        assertThat(in(a, 1).u32(4)).isEqualTo(16);
        Initiator stranger = harness.initiator("iqn.2024-01.dev.quarry:stranger", 0x4000_0000_0003L);
        assertThat(stranger.send(Cdbs.bytes(0x16, 0, 0, 0, 0, 0)).status()).isEqualTo(ScsiStatus.RESERVATION_CONFLICT);
    }
}
