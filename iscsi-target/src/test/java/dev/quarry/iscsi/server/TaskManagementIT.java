package dev.quarry.iscsi.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quarry.iscsi.pdu.Bhs;
import dev.quarry.iscsi.pdu.R2tPdu;
import dev.quarry.iscsi.pdu.RejectPdu;
import dev.quarry.iscsi.pdu.ScsiCommandPdu;
import dev.quarry.iscsi.pdu.TaskManagementRequestPdu;
import dev.quarry.iscsi.pdu.TaskManagementResponsePdu;
import dev.quarry.iscsi.pdu.TargetPdu;
import dev.quarry.iscsi.testing.Await;
import dev.quarry.iscsi.testing.LoginOptions;
import dev.quarry.iscsi.testing.ScsiCommands;
import dev.quarry.iscsi.testing.ScsiResult;
import dev.quarry.iscsi.testing.TestInitiator;
import dev.quarry.iscsi.testing.TestServer;
import io.netty.buffer.Unpooled;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Task management functions over real sockets (RFC 7143 §11.5, RELIABILITY §3 case 44). */
class TaskManagementIT {

    private static final int ABORT_TASK = 1;
    private static final int ABORT_TASK_SET = 2;
    private static final int CLEAR_ACA = 3;
    private static final int CLEAR_TASK_SET = 4;
    private static final int LOGICAL_UNIT_RESET = 5;
    private static final int TARGET_WARM_RESET = 6;
    private static final int TARGET_COLD_RESET = 7;
    private static final byte[] DATA = BadInputIT.filled(4096, 0x3C);

    private TestServer server;

    @BeforeEach
    void start() {
        server = TestServer.start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void shouldAbortATaskStillWaitingForDataOutWithoutAnsweringIt() {
        try (TestInitiator initiator = noUnsolicited()) {
            ScsiCommands.Pending write = initiator.scsi().submit(0, ScsiCommands.cdb10(0x2A, 10, 8), 4096, DATA, false);
            R2tPdu r2t = (R2tPdu) initiator.awaitTask(write.tag());
            assertThat(initiator.taskManagement(ABORT_TASK, 0, write.tag(), write.cmdSn(), true)).isZero();
            initiator.scsi().sendData(write.tag(), 0, r2t.targetTransferTag(), DATA, 0, 4096);
            assertThat(initiator.silentFor(Duration.ofMillis(300))).as("no response, no Reject for its late data").isTrue();
            assertThat(initiator.scsi().read10(0, 10, 8, 512).data()).as("nothing written").isEqualTo(new byte[4096]);
            assertThat(server.scsi().executedTags()).doesNotContain(Integer.toUnsignedLong(write.tag()));
        }
    }

    @Test
    void shouldAbortADeliveredTaskThroughTheScsiLayer() {
        try (TestInitiator initiator = server.loggedIn()) {
            server.scsi().hold(true);
            ScsiCommands.Pending read = initiator.scsi().submit(0, ScsiCommands.cdb10(0x28, 0, 1), 512, null, false);
            Await.until(() -> server.scsi().heldCount() == 1, "the read reaches the SCSI layer");
            assertThat(initiator.taskManagement(ABORT_TASK, 0, read.tag(), read.cmdSn(), true)).isZero();
            assertThat(initiator.silentFor(Duration.ofMillis(300))).as("the aborted read gets no response").isTrue();
            server.scsi().hold(false);
            assertThat(initiator.scsi().testUnitReady(0).status()).isZero();
        }
    }

    @Test
    void shouldAnswerOnlyAfterTheAffectedTaskIsReallyDone() {
        try (TestInitiator initiator = server.loggedIn()) {
            server.scsi().hold(true);
            server.scsi().tmfAbortsHeld(false);
            ScsiCommands.Pending read = initiator.scsi().submit(0, ScsiCommands.cdb10(0x28, 0, 1), 512, null, false);
            Await.until(() -> server.scsi().heldCount() == 1, "the read reaches the SCSI layer");
            int tag = initiator.nextTag();
            initiator.send(new TaskManagementRequestPdu(true, LOGICAL_UNIT_RESET, 0, tag, Bhs.RESERVED_TAG, initiator.cmdSn(), 0,
                    0, 0));
            assertThat(initiator.silentFor(Duration.ofMillis(300))).as("no TMF response while the read runs").isTrue();
            server.scsi().releaseHeld();
            TargetPdu first = initiator.receive();
            TargetPdu second = initiator.receive();
            assertThat(TestInitiator.taskTag(first)).as("the read completes first").isEqualTo(read.tag());
            assertThat(second).isInstanceOfSatisfying(TaskManagementResponsePdu.class, r -> assertThat(r.response()).isZero());
        }
    }

    @Test
    void shouldDropHeldTasksWhenAnotherNexusResetTheLun() {
        try (TestInitiator initiator = noUnsolicited()) {
            ScsiCommands.Pending write = initiator.scsi().submit(0, ScsiCommands.cdb10(0x2A, 30, 8), 4096, DATA, false);
            R2tPdu r2t = (R2tPdu) initiator.awaitTask(write.tag());
            server.scsi().events(0).tasksAborted(0);
            assertThat(initiator.ping(new byte[0]).data().readableBytes()).isZero();
            initiator.scsi().sendData(write.tag(), 0, r2t.targetTransferTag(), DATA, 0, 4096);
            assertThat(initiator.silentFor(Duration.ofMillis(300))).as("no response and no Reject for the dropped write").isTrue();
            assertThat(initiator.scsi().read10(0, 30, 8, 512).data()).isEqualTo(new byte[4096]);
        }
    }

    @Test
    void shouldAnswerTaskDoesNotExistForAnUnknownTag() {
        try (TestInitiator initiator = server.loggedIn()) {
            assertThat(initiator.scsi().testUnitReady(0).status()).isZero();
            assertThat(initiator.taskManagement(ABORT_TASK, 0, 0x4242, initiator.cmdSn() - 1, true)).isEqualTo(1);
        }
    }

    @Test
    void shouldAbortACommandThatHasNotArrivedYet() {
        try (TestInitiator initiator = server.loggedIn()) {
            int missing = initiator.takeCmdSn();
            int tag = initiator.nextTag();
            assertThat(initiator.taskManagement(ABORT_TASK, 0, tag, missing, true)).isZero();
            initiator.send(new ScsiCommandPdu(false, true, false, false, 1, 0, tag, 0, missing, 0, new byte[16], -1,
                    Unpooled.EMPTY_BUFFER));
            assertThat(initiator.scsi().testUnitReady(0).status()).as("its CmdSN was consumed").isZero();
            assertThat(server.scsi().executedTags()).doesNotContain(Integer.toUnsignedLong(tag));
        }
    }

    @Test
    void shouldResetTheLogicalUnitAbortingHeldAndDeliveredTasks() {
        try (TestInitiator initiator = noUnsolicited()) {
            server.scsi().hold(true);
            initiator.scsi().submit(0, ScsiCommands.cdb10(0x28, 0, 1), 512, null, false);
            ScsiCommands.Pending write = initiator.scsi().submit(0, ScsiCommands.cdb10(0x2A, 20, 8), 4096, DATA, false);
            initiator.awaitTask(write.tag());
            Await.until(() -> server.scsi().heldCount() == 1, "the read reaches the SCSI layer");
            assertThat(initiator.taskManagement(LOGICAL_UNIT_RESET, 0, Bhs.RESERVED_TAG, 0, true)).isZero();
            assertThat(server.scsi().heldCount()).isZero();
            assertThat(initiator.silentFor(Duration.ofMillis(300))).isTrue();
            server.scsi().hold(false);
            assertThat(initiator.scsi().read10(0, 20, 8, 512).data()).isEqualTo(new byte[4096]);
        }
    }

    @ParameterizedTest(name = "function {0} on LUN {1} -> {2}")
    @CsvSource({"2, 0, 0", "4, 0, 0", "3, 0, 0", "5, 0x0005000000000000, 2", "2, 0x0005000000000000, 2", "8, 0, 4",
        "9, 0, 5", "10, 0, 5", "11, 0, 5", "12, 0, 5", "6, 0, 0"})
    void shouldAnswerEachFunctionWithItsCode(int function, String lun, int expected) {
        try (TestInitiator initiator = server.loggedIn()) {
            assertThat(initiator.taskManagement(function, Long.decode(lun), Bhs.RESERVED_TAG, 0, false)).isEqualTo(expected);
            assertThat(initiator.scsi().testUnitReady(0).status()).isZero();
        }
    }

    @Test
    void shouldCloseEveryConnectionAfterTargetColdReset() {
        try (TestInitiator other = server.loggedIn(); TestInitiator initiator = server.connect()) {
            initiator.loginOrFail(LoginOptions.normal(TestServer.TARGET).withIsid(0x80_0000_0000_99L));
            assertThat(initiator.taskManagement(TARGET_COLD_RESET, 0, Bhs.RESERVED_TAG, 0, true)).isZero();
            assertThat(initiator.awaitClose(Duration.ofSeconds(5))).isTrue();
            assertThat(other.awaitClose(Duration.ofSeconds(5))).as("other sessions of the target end too").isTrue();
        }
    }

    @Test
    void shouldRejectTaskManagementInDiscoverySession() {
        try (TestInitiator initiator = server.connect()) {
            initiator.loginOrFail(LoginOptions.discovery());
            initiator.send(new TaskManagementRequestPdu(true, ABORT_TASK_SET, 0, initiator.nextTag(), Bhs.RESERVED_TAG,
                    initiator.cmdSn(), 0, 0, 0));
            assertThat(((RejectPdu) initiator.receive()).reason()).isEqualTo(0x05);
        }
    }

    @Test
    void shouldKeepTheWriteOfAnotherSessionWhenOneSessionResets() {
        try (TestInitiator resetting = server.loggedIn(); TestInitiator writer = server.connect()) {
            writer.loginOrFail(LoginOptions.normal(TestServer.TARGET).withIsid(0x80_0000_0000_42L));
            ScsiResult write = writer.scsi().write10(0, 40, DATA, 512);
            assertThat(write.status()).isZero();
            assertThat(resetting.taskManagement(TARGET_WARM_RESET, 0, Bhs.RESERVED_TAG, 0, true)).isZero();
            assertThat(Arrays.equals(writer.scsi().read10(0, 40, 8, 512).data(), DATA)).isTrue();
            assertThat(resetting.taskManagement(CLEAR_TASK_SET, 0, Bhs.RESERVED_TAG, 0, true)).isZero();
            assertThat(resetting.taskManagement(CLEAR_ACA, 0, Bhs.RESERVED_TAG, 0, true)).isZero();
        }
    }

    private TestInitiator noUnsolicited() {
        TestInitiator initiator = server.connect();
        initiator.loginOrFail(LoginOptions.normal(TestServer.TARGET).withKey("InitialR2T", "Yes").withKey("ImmediateData", "No"));
        return initiator;
    }

}
