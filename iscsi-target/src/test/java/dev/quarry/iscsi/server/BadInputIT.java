package dev.quarry.iscsi.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.quarry.iscsi.pdu.Bhs;
import dev.quarry.iscsi.pdu.DataOutPdu;
import dev.quarry.iscsi.pdu.LogoutRequestPdu;
import dev.quarry.iscsi.pdu.LogoutResponsePdu;
import dev.quarry.iscsi.pdu.NopOutPdu;
import dev.quarry.iscsi.pdu.R2tPdu;
import dev.quarry.iscsi.pdu.RejectPdu;
import dev.quarry.iscsi.pdu.ScsiCommandPdu;
import dev.quarry.iscsi.pdu.SnackRequestPdu;
import dev.quarry.iscsi.pdu.TargetPdu;
import dev.quarry.iscsi.pdu.TaskManagementRequestPdu;
import dev.quarry.iscsi.testing.Await;
import dev.quarry.iscsi.testing.LoginOptions;
import dev.quarry.iscsi.testing.ScsiCommands;
import dev.quarry.iscsi.testing.ScsiResult;
import dev.quarry.iscsi.testing.TestInitiator;
import dev.quarry.iscsi.testing.TestServer;
import io.netty.buffer.Unpooled;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Full feature phase bad input over real sockets (RELIABILITY §3 cases 21, 24 - 40): each asserts
 * the exact answer, that nothing partial was written, and that another session keeps working.
 */
class BadInputIT {

    private static final byte[] OLD = filled(4096, 0x11);
    private static final byte[] NEW = filled(4096, 0x22);
    private static final long LBA = 100;

    private static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @AfterEach
    void otherSessionsKeepWorking() {
        server.scsi().hold(false);
        server.scsi().releaseHeld();
        try (TestInitiator other = server.loggedIn()) {
            assertThat(other.scsi().write10(0, 2000, filled(512, 0x77), 512).status()).isZero();
            assertThat(other.scsi().read10(0, 2000, 1, 512).data()).isEqualTo(filled(512, 0x77));
            assertThat(other.logout(0).response()).isZero();
        }
    }

    @ParameterizedTest(name = "opcode 0x{0}")
    @ValueSource(strings = {"07", "11", "12", "1c", "1e", "25", "2f", "3f"})
    void shouldRejectUndefinedOpcodesAsCommandNotSupported(String opcode) {
        try (TestInitiator initiator = server.loggedIn()) {
            byte[] bhs = new byte[Bhs.LENGTH];
            bhs[0] = (byte) Integer.parseInt(opcode, 16);
            bhs[1] = (byte) 0x80;
            initiator.sendRaw(bhs);
            assertThat(reject(initiator).reason()).isEqualTo(0x05);
            assertThat(initiator.scsi().testUnitReady(0).status()).isZero();
        }
    }

    @Test
    void shouldRejectReservedFunctionAttributeAndReasonValuesAsInvalidField() {
        try (TestInitiator initiator = server.loggedIn()) {
            initiator.send(new TaskManagementRequestPdu(true, 0, 0, initiator.nextTag(), 1, initiator.cmdSn(), 0, 0, 0));
            assertThat(reject(initiator).reason()).isEqualTo(0x09);
            initiator.send(new ScsiCommandPdu(false, true, false, false, 5, 0, initiator.nextTag(), 0, initiator.takeCmdSn(), 0,
                    new byte[16], -1, Unpooled.EMPTY_BUFFER));
            assertThat(reject(initiator).reason()).isEqualTo(0x09);
            initiator.send(new LogoutRequestPdu(true, 0x55, initiator.nextTag(), 0, initiator.cmdSn(), 0));
            assertThat(reject(initiator).reason()).isEqualTo(0x09);
            assertThat(initiator.scsi().testUnitReady(0).status()).isZero();
        }
    }

    @Test
    void shouldIgnoreNonZeroReservedFields() {
        try (TestInitiator initiator = server.loggedIn()) {
            byte[] frame = initiator.frame(new ScsiCommandPdu(false, true, false, false, 1, 0, 0x55, 0, initiator.takeCmdSn(),
                    0, new byte[16], -1, Unpooled.EMPTY_BUFFER));
            frame[2] = 0x7E;
            frame[3] = 0x7E;
            initiator.sendRaw(frame);
            assertThat(initiator.scsi().complete(pendingTag(initiator, 0x55)).status()).isZero();
        }
    }

    @Test
    void shouldRejectAhsThatDoesNotMatchTotalAhsLength() {
        try (TestInitiator initiator = server.loggedIn()) {
            byte[] frame = initiator.frame(new ScsiCommandPdu(false, true, false, false, 1, 0, initiator.nextTag(), 0,
                    initiator.takeCmdSn(), 0, new byte[16], -1, Unpooled.EMPTY_BUFFER));
            byte[] withAhs = Arrays.copyOf(frame, frame.length + 4);
            withAhs[Bhs.TOTAL_AHS_LENGTH_OFFSET] = 1;
            withAhs[Bhs.LENGTH + 1] = 40;
            withAhs[Bhs.LENGTH + 2] = 1;
            initiator.sendRaw(withAhs);
            assertThat(reject(initiator).reason()).isEqualTo(0x09);
            assertThat(initiator.scsi().testUnitReady(0).status()).as("the CmdSN was consumed, the session goes on").isZero();
        }
    }

    @Test
    void shouldRejectDataSegmentLongerThanNegotiatedAndClose() {
        try (TestInitiator initiator = server.loggedIn()) {
            byte[] bhs = new byte[Bhs.LENGTH];
            bhs[0] = 0x40;
            bhs[1] = (byte) 0x80;
            int tooLong = initiator.targetMaxRecvDataSegmentLength() + 1;
            bhs[5] = (byte) (tooLong >> 16);
            bhs[6] = (byte) (tooLong >> 8);
            bhs[7] = (byte) tooLong;
            initiator.sendRaw(bhs);
            assertThat(reject(initiator).reason()).isEqualTo(0x04);
            assertThat(initiator.awaitClose(Duration.ofSeconds(5))).isTrue();
        }
    }

    @Test
    void shouldDropTheConnectionWithoutAnswerOnHeaderDigestError() {
        try (TestInitiator initiator = server.connect()) {
            initiator.loginOrFail(LoginOptions.normal(TestServer.TARGET).withKey("HeaderDigest", "CRC32C"));
            byte[] frame = initiator.frame(new NopOutPdu(true, 0, initiator.nextTag(), Bhs.RESERVED_TAG, initiator.cmdSn(), 0,
                    Unpooled.EMPTY_BUFFER));
            frame[Bhs.LENGTH] ^= 0x01;
            initiator.sendRaw(frame);
            assertThatThrownBy(() -> initiator.receive(Duration.ofSeconds(5))).hasMessageContaining("closed");
        }
    }

    @Test
    void shouldRejectDataDigestErrorAndEndTheWriteWithCrcSense() {
        prefill();
        try (TestInitiator initiator = server.connect()) {
            initiator.loginOrFail(LoginOptions.normal(TestServer.TARGET).withKey("DataDigest", "CRC32C")
                    .withKey("ImmediateData", "No").withKey("InitialR2T", "Yes"));
            ScsiCommands.Pending write = initiator.scsi().submit(0, ScsiCommands.cdb10(0x2A, LBA, 8), 4096, NEW, false);
            R2tPdu r2t = (R2tPdu) initiator.awaitTask(write.tag());
            byte[] frame = initiator.frame(new DataOutPdu(true, 0, write.tag(), r2t.targetTransferTag(), 0, 0, 0,
                    Unpooled.wrappedBuffer(NEW)));
            frame[frame.length - 1] ^= 0x01;
            initiator.sendRaw(frame);
            assertThat(reject(initiator).reason()).isEqualTo(0x02);
            ScsiResult result = initiator.scsi().complete(write);
            assertCheckCondition(result, 0x0B, 0x4705);
        }
        assertUnchanged();
    }

    @Test
    void shouldSilentlyIgnoreCommandsOutsideTheWindow() {
        try (TestInitiator initiator = server.loggedIn()) {
            int next = initiator.cmdSn();
            for (int cmdSn : new int[] {next + 10_000, next - 1}) {
                initiator.send(new ScsiCommandPdu(false, true, false, false, 1, 0, initiator.nextTag(), 0, cmdSn, 0,
                        new byte[16], -1, Unpooled.EMPTY_BUFFER));
            }
            assertThat(initiator.silentFor(Duration.ofMillis(500))).isTrue();
            assertThat(initiator.scsi().testUnitReady(0).status()).isZero();
        }
    }

    @Test
    void shouldRejectImmediateCommandsBeyondTheImmediateBudget() {
        try (TestInitiator initiator = server.loggedIn()) {
            server.scsi().hold(true);
            for (int i = 0; i < 8; i++) {
                initiator.scsi().submit(0, new byte[6], 0, null, true);
            }
            initiator.scsi().submit(0, new byte[6], 0, null, true);
            assertThat(reject(initiator).reason()).isEqualTo(0x06);
            server.scsi().hold(false);
            server.scsi().releaseHeld();
        }
    }

    @Test
    void shouldRejectNopOutWithTransferTagItNeverIssued() {
        try (TestInitiator initiator = server.loggedIn()) {
            initiator.send(new NopOutPdu(true, 0, Bhs.RESERVED_TAG, 0x1234, initiator.cmdSn(), 0, Unpooled.EMPTY_BUFFER));
            assertThat(reject(initiator).reason()).isEqualTo(0x09);
            initiator.send(new NopOutPdu(true, 0, initiator.nextTag(), 0x1234, initiator.cmdSn(), 0, Unpooled.EMPTY_BUFFER));
            assertThat(reject(initiator).reason()).isEqualTo(0x09);
            assertThat(initiator.ping("hello".getBytes()).data().readableBytes()).isEqualTo(5);
        }
    }

    @Test
    void shouldRejectSnackAtErrorRecoveryLevelZero() {
        try (TestInitiator initiator = server.loggedIn()) {
            initiator.send(new SnackRequestPdu(0, 0, 1, Bhs.RESERVED_TAG, 0, 0, 0));
            assertThat(reject(initiator).reason()).isEqualTo(0x04);
        }
    }

    @Test
    void shouldRefuseRenegotiatingLoginOnlyKeysInFullFeaturePhase() {
        try (TestInitiator initiator = server.loggedIn()) {
            List<Map.Entry<String, String>> answers = initiator.text("MaxConnections=2\0InitiatorName=iqn.2000-01.x:y\0"
                    + "MaxBurstLength=512\0X-vendor.key=1");
            assertThat(answers).containsExactly(Map.entry("MaxConnections", "Reject"),
                    Map.entry("InitiatorName", "Reject"), Map.entry("MaxBurstLength", "Reject"),
                    Map.entry("X-vendor.key", "NotUnderstood"));
            byte[] big = filled(1 << 20, 0x42);
            assertThat(initiator.scsi().write10(0, 3000, big, 512).status()).as("MaxBurstLength still the negotiated one").isZero();
        }
    }

    @Test
    void shouldAnswerLogoutForUnknownCidWithCidNotFound() {
        try (TestInitiator initiator = server.loggedIn()) {
            int tag = initiator.nextTag();
            initiator.send(new LogoutRequestPdu(true, LogoutRequestPdu.CLOSE_CONNECTION, tag, 99, initiator.cmdSn(), 0));
            assertThat(((LogoutResponsePdu) initiator.awaitTask(tag)).response()).isEqualTo(1);
            assertThat(initiator.scsi().testUnitReady(0).status()).isZero();
        }
    }

    @Test
    void shouldEndOutstandingTasksCleanlyOnLogout() {
        try (TestInitiator initiator = server.loggedIn()) {
            server.scsi().hold(true);
            initiator.scsi().submit(0, ScsiCommands.cdb10(0x28, 0, 8), 4096, null, false);
            ScsiCommands.Pending write = initiator.scsi().submit(0, ScsiCommands.cdb10(0x2A, 0, 8), 4096 * 2, filled(8192, 1),
                    false);
            long open = server.scsi().openNexuses();
            assertThat(initiator.logout(0).response()).isZero();
            assertThat(initiator.awaitClose(Duration.ofSeconds(5))).isTrue();
            Await.until(() -> server.scsi().openNexuses() == open - 1, "the nexus is closed");
            Await.until(() -> server.scsi().heldCount() == 0, "the delivered read was aborted");
            assertThat(write.tag()).isNotZero();
        }
    }

    @Test
    void shouldAnswerUnsolicitedDataOutWithInitialR2tYesWithUnexpectedUnsolicitedData() {
        prefill();
        try (TestInitiator initiator = server.connect()) {
            initiator.loginOrFail(LoginOptions.normal(TestServer.TARGET).withKey("InitialR2T", "Yes").withKey("ImmediateData", "No"));
            int tag = initiator.nextTag();
            initiator.send(new ScsiCommandPdu(false, false, false, true, 1, 0, tag, 4096, initiator.takeCmdSn(), 0,
                    Arrays.copyOf(ScsiCommands.cdb10(0x2A, LBA, 8), 16), -1, Unpooled.EMPTY_BUFFER));
            initiator.scsi().sendData(tag, 0, Bhs.RESERVED_TAG, NEW, 0, 4096);
            assertCheckCondition(initiator.scsi().complete(pendingTag(initiator, tag)), 0x05, 0x0C0C);
        }
        assertUnchanged();
    }

    @Test
    void shouldAnswerImmediateDataBeyondFirstBurstWithIncorrectUnsolicitedData() {
        prefill();
        try (TestInitiator initiator = server.connect()) {
            initiator.loginOrFail(LoginOptions.normal(TestServer.TARGET).withKey("FirstBurstLength", "512")
                    .withKey("MaxBurstLength", "512"));
            int tag = initiator.nextTag();
            initiator.send(new ScsiCommandPdu(false, true, false, true, 1, 0, tag, 4096, initiator.takeCmdSn(), 0,
                    Arrays.copyOf(ScsiCommands.cdb10(0x2A, LBA, 8), 16), -1, Unpooled.wrappedBuffer(NEW, 0, 1024)));
            assertCheckCondition(initiator.scsi().complete(pendingTag(initiator, tag)), 0x0B, 0x0C0D);
        }
        assertUnchanged();
    }

    @Test
    void shouldRejectDataOutForUnknownTask() {
        try (TestInitiator initiator = server.loggedIn()) {
            initiator.send(new DataOutPdu(true, 0, 0xABCDEF, Bhs.RESERVED_TAG, 0, 0, 0, Unpooled.wrappedBuffer(new byte[512])));
            assertThat(reject(initiator).reason()).isEqualTo(0x09);
        }
    }

    @Test
    void shouldRejectTransferTagNeverIssuedAndEndTheWrite() {
        prefill();
        try (TestInitiator initiator = noUnsolicited()) {
            ScsiCommands.Pending write = initiator.scsi().submit(0, ScsiCommands.cdb10(0x2A, LBA, 8), 4096, NEW, false);
            R2tPdu r2t = (R2tPdu) initiator.awaitTask(write.tag());
            initiator.send(new DataOutPdu(false, 0, write.tag(), r2t.targetTransferTag() + 1000, 0, 0, 0,
                    Unpooled.wrappedBuffer(NEW, 0, 512)));
            assertThat(reject(initiator).reason()).isEqualTo(0x09);
            initiator.scsi().sendData(write.tag(), 0, r2t.targetTransferTag(), NEW, 0, 4096);
            assertCheckCondition(initiator.scsi().complete(write), 0x0B, 0x4B01);
        }
        assertUnchanged();
    }

    @ParameterizedTest(name = "offset {0}")
    @ValueSource(longs = {4096, 0xFFFF_FE00L})
    void shouldRejectDataPastTheR2tOrWrappingOffsets(long offset) {
        prefill();
        try (TestInitiator initiator = noUnsolicited()) {
            ScsiCommands.Pending write = initiator.scsi().submit(0, ScsiCommands.cdb10(0x2A, LBA, 8), 4096, NEW, false);
            R2tPdu r2t = (R2tPdu) initiator.awaitTask(write.tag());
            initiator.send(new DataOutPdu(true, 0, write.tag(), r2t.targetTransferTag(), 0, 0, (int) offset,
                    Unpooled.wrappedBuffer(NEW, 0, 1024)));
            assertThat(reject(initiator).reason()).isIn(0x09, 0x04);
            assertCheckCondition(initiator.scsi().complete(write), 0x0B, 0x4B00);
        }
        assertUnchanged();
    }

    @Test
    void shouldRejectDataLongerThanTheR2tAsked() {
        prefill();
        try (TestInitiator initiator = noUnsolicited()) {
            ScsiCommands.Pending write = initiator.scsi().submit(0, ScsiCommands.cdb10(0x2A, LBA, 4), 2048, NEW, false);
            R2tPdu r2t = (R2tPdu) initiator.awaitTask(write.tag());
            initiator.send(new DataOutPdu(true, 0, write.tag(), r2t.targetTransferTag(), 0, 0, 0, Unpooled.wrappedBuffer(NEW)));
            assertThat(reject(initiator).reason()).isEqualTo(0x09);
            assertCheckCondition(initiator.scsi().complete(write), 0x0B, 0x4B02);
        }
        assertUnchanged();
    }

    @Test
    void shouldRejectDuplicateDataSnAndApplyNothing() {
        prefill();
        try (TestInitiator initiator = noUnsolicited()) {
            ScsiCommands.Pending write = initiator.scsi().submit(0, ScsiCommands.cdb10(0x2A, LBA, 8), 4096, NEW, false);
            R2tPdu r2t = (R2tPdu) initiator.awaitTask(write.tag());
            for (int i = 0; i < 2; i++) {
                initiator.send(new DataOutPdu(i == 1, 0, write.tag(), r2t.targetTransferTag(), 0, 0, i * 2048,
                        Unpooled.wrappedBuffer(NEW, i * 2048, 2048)));
            }
            assertThat(reject(initiator).reason()).isEqualTo(0x04);
            assertCheckCondition(initiator.scsi().complete(write), 0x0B, 0x4B00);
        }
        assertUnchanged();
    }

    @Test
    void shouldAnswerAFailedWriteAfterTheGraceWhenTheInitiatorStopsSending() {
        try (TestInitiator initiator = noUnsolicited()) {
            ScsiCommands.Pending write = initiator.scsi().submit(0, ScsiCommands.cdb10(0x2A, LBA, 8), 4096, NEW, false);
            R2tPdu r2t = (R2tPdu) initiator.awaitTask(write.tag());
            initiator.send(new DataOutPdu(false, 0, write.tag(), r2t.targetTransferTag(), 0, 5, 0,
                    Unpooled.wrappedBuffer(NEW, 0, 512)));
            assertThat(reject(initiator).reason()).isEqualTo(0x04);
            long start = System.nanoTime();
            assertCheckCondition(initiator.scsi().complete(write), 0x0B, 0x4B00);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThan(Duration.ofSeconds(1));
        }
    }

    @Test
    void shouldRejectScsiCommandInDiscoverySession() {
        try (TestInitiator initiator = server.connect()) {
            initiator.loginOrFail(LoginOptions.discovery());
            initiator.send(new ScsiCommandPdu(false, true, false, false, 1, 0, initiator.nextTag(), 0, initiator.takeCmdSn(), 0,
                    new byte[16], -1, Unpooled.EMPTY_BUFFER));
            assertThat(reject(initiator).reason()).isEqualTo(0x05);
            assertThat(initiator.text("SendTargets=All")).contains(Map.entry("TargetName", TestServer.TARGET));
        }
    }

    private static TestInitiator noUnsolicited() {
        TestInitiator initiator = server.connect();
        initiator.loginOrFail(LoginOptions.normal(TestServer.TARGET).withKey("InitialR2T", "Yes").withKey("ImmediateData", "No"));
        return initiator;
    }

    private static ScsiCommands.Pending pendingTag(TestInitiator initiator, int tag) {
        return ScsiCommands.Pending.sent(tag, 0, null, 0, false);
    }

    private static RejectPdu reject(TestInitiator initiator) {
        TargetPdu pdu = initiator.await(p -> p instanceof RejectPdu, TestInitiator.DEFAULT_TIMEOUT);
        return (RejectPdu) pdu;
    }

    private static void assertCheckCondition(ScsiResult result, int senseKey, int ascAscq) {
        assertThat(result.status()).isEqualTo(0x02);
        assertThat(result.senseKey()).isEqualTo(senseKey);
        assertThat(result.ascAscq()).isEqualTo(ascAscq);
    }

    private static void prefill() {
        try (TestInitiator initiator = server.loggedIn()) {
            assertThat(initiator.scsi().write10(0, LBA, OLD, 512).status()).isZero();
        }
    }

    private static void assertUnchanged() {
        try (TestInitiator initiator = server.loggedIn()) {
            assertThat(initiator.scsi().read10(0, LBA, 8, 512).data()).as("no partial write landed").isEqualTo(OLD);
        }
    }

    static byte[] filled(int length, int value) {
        byte[] bytes = new byte[length];
        Arrays.fill(bytes, (byte) value);
        return bytes;
    }
}
