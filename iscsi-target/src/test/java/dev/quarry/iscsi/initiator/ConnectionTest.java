package dev.quarry.iscsi.initiator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.quarry.iscsi.login.OperationalParameters;
import dev.quarry.iscsi.pdu.AsyncMessagePdu;
import dev.quarry.iscsi.pdu.Bhs;
import dev.quarry.iscsi.pdu.DataInPdu;
import dev.quarry.iscsi.pdu.DataOutPdu;
import dev.quarry.iscsi.pdu.LogoutRequestPdu;
import dev.quarry.iscsi.pdu.LogoutResponsePdu;
import dev.quarry.iscsi.pdu.NopInPdu;
import dev.quarry.iscsi.pdu.NopOutPdu;
import dev.quarry.iscsi.pdu.R2tPdu;
import dev.quarry.iscsi.pdu.RejectPdu;
import dev.quarry.iscsi.pdu.ScsiCommandPdu;
import dev.quarry.iscsi.pdu.ScsiResponsePdu;
import dev.quarry.iscsi.scsi.SenseData;
import dev.quarry.iscsi.scsi.SenseKey;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * One full-feature connection driven with PDUs on an {@link EmbeddedChannel}: what it sends for
 * writes (immediate data, unsolicited Data-Out, R2T sequences), how it reassembles reads, answers
 * pings, passes asynchronous messages and rejects on, and which target errors end it.
 */
class ConnectionTest {

    private static final long LUN = 1L << 48;

    private final EmbeddedChannel channel = new EmbeddedChannel();
    private final Recorder events = new Recorder();
    private final List<ByteBuf> buffers = new ArrayList<>();
    private int tags = 0x100;

    @AfterEach
    void finish() {
        events.outcomes.forEach(ScsiOutcome::release);
        buffers.forEach(ByteBuf::release);
        channel.finishAndReleaseAll();
    }

    /** ImmediateData and InitialR2T as given, 4 KiB segments out, 8 KiB first burst, 16 KiB bursts. */
    private Connection connection(boolean immediateData, boolean initialR2t) {
        OperationalParameters p = new OperationalParameters(false, false, 1, initialR2t, immediateData, 262144, 4096, 16384,
                8192, 0, 0, 1, true, true, 0);
        return new Connection(channel, p, new CmdSnWindow(50, 50, 60), 7, LUN, () -> tags++, events, "test");
    }

    private Task write(int bytes) {
        byte[] data = new byte[bytes];
        for (int i = 0; i < bytes; i++) {
            data[i] = (byte) i;
        }
        ByteBuf buffer = Unpooled.directBuffer(bytes).writeBytes(data);
        buffers.add(buffer);
        return new Task(ScsiRequest.write(Cdbs.write16(0, bytes / 512, false), buffer, "WRITE"), new CompletableFuture<>(), 1);
    }

    private static Task read(int bytes) {
        return new Task(ScsiRequest.read(Cdbs.read16(0, bytes / 512), bytes, "READ"), new CompletableFuture<>(), 2);
    }

    @Test
    void shouldSendImmediateAndUnsolicitedDataThenAnswerR2ts() {
        Connection connection = connection(true, false);
        Task task = write(20480);
        connection.send(task);
        ScsiCommandPdu command = out();
        assertThat(command.finalPdu()).as("unsolicited Data-Out follows").isFalse();
        assertThat(command.expectedDataTransferLength()).isEqualTo(20480);
        assertThat(command.data().readableBytes()).isEqualTo(4096);
        assertThat(command.cmdSn()).isEqualTo(50);
        assertThat(command.expStatSn()).isEqualTo(7);
        command.release();
        DataOutPdu unsolicited = out();
        assertThat(unsolicited.targetTransferTag()).isEqualTo(Bhs.RESERVED_TAG);
        assertThat(unsolicited.bufferOffset()).isEqualTo(4096);
        assertThat(unsolicited.data().readableBytes()).isEqualTo(4096);
        assertThat(unsolicited.finalPdu()).isTrue();
        unsolicited.release();
        assertThat((Object) out()).isNull();

        connection.onPdu(new R2tPdu(LUN, task.initiatorTaskTag(), 0x77, 8, 51, 70, 0, 8192, 12288));
        List<DataOutPdu> sequence = drain();
        assertThat(sequence).extracting(DataOutPdu::bufferOffset).containsExactly(8192, 12288, 16384);
        assertThat(sequence).extracting(DataOutPdu::dataSn).containsExactly(0, 1, 2);
        assertThat(sequence).extracting(DataOutPdu::finalPdu).containsExactly(false, false, true);
        assertThat(sequence).allSatisfy(pdu -> assertThat(pdu.targetTransferTag()).isEqualTo(0x77));
        assertThat(sequence.get(2).data().getByte(0)).isEqualTo((byte) 16384);
        sequence.forEach(ReferenceCountUtil::release);

        connection.onPdu(new ScsiResponsePdu(false, false, false, false, 0, 0, task.initiatorTaskTag(), 0, 8, 51, 70, 0, 0, 0,
                Unpooled.EMPTY_BUFFER));
        assertThat(events.outcomes).singleElement().satisfies(o -> assertThat(o.good()).isTrue());
        assertThat(connection.inFlight()).isZero();
    }

    @Test
    void shouldWaitForR2tsWhenInitialR2tIsRequiredAndSendNoImmediateDataWhenRefused() {
        Connection connection = connection(false, true);
        connection.send(write(8192));
        ScsiCommandPdu command = out();
        assertThat(command.finalPdu()).isTrue();
        assertThat(command.data().readableBytes()).isZero();
        command.release();
        assertThat((Object) out()).isNull();
    }

    @Test
    void shouldRefuseR2tsOutsideTheCommandOrOutOfSequence() {
        Connection connection = connection(true, true);
        Task task = write(4096);
        connection.send(task);
        ReferenceCountUtil.release(out());
        assertThatThrownBy(() -> connection.onPdu(new R2tPdu(LUN, task.initiatorTaskTag(), 1, 0, 50, 60, 0, 4096, 512)))
                .isInstanceOf(TargetProtocolException.class);
        Task other = write(8192);
        connection.send(other);
        ReferenceCountUtil.release(out());
        assertThatThrownBy(() -> connection.onPdu(new R2tPdu(LUN, other.initiatorTaskTag(), 1, 0, 50, 60, 3, 4096, 512)))
                .isInstanceOf(TargetProtocolException.class).hasMessageContaining("R2TSN");
        assertThatThrownBy(() -> connection.onPdu(new R2tPdu(LUN, 0xBAD, 1, 0, 50, 60, 0, 0, 512)))
                .isInstanceOf(TargetProtocolException.class).hasMessageContaining("unknown task");
    }

    @Test
    void shouldReassembleDataInAndCompleteWithTheStatusInTheLastPdu() {
        Connection connection = connection(true, false);
        Task task = read(10240);
        connection.send(task);
        ScsiCommandPdu command = out();
        assertThat(command.read()).isTrue();
        command.release();
        int tag = task.initiatorTaskTag();
        connection.onPdu(dataIn(tag, 0, 0, 4096, false));
        connection.onPdu(dataIn(tag, 1, 4096, 4096, false));
        assertThat(events.outcomes).isEmpty();
        connection.onPdu(dataIn(tag, 2, 8192, 2048, true));
        ScsiOutcome outcome = events.outcomes.get(0);
        assertThat(outcome.good()).isTrue();
        assertThat(outcome.data().readableBytes()).isEqualTo(10240);
        assertThat(outcome.data().getByte(8192)).isEqualTo((byte) 2);
    }

    @Test
    void shouldCompleteWithSenseAndResidualFromAScsiResponse() {
        Connection connection = connection(true, false);
        Task task = read(4096);
        connection.send(task);
        ReferenceCountUtil.release(out());
        byte[] sense = new SenseData(SenseKey.MEDIUM_ERROR, 0x11, 0, 42, true, -1).encode(false);
        ByteBuf segment = Unpooled.buffer().writeShort(sense.length).writeBytes(sense);
        connection.onPdu(new ScsiResponsePdu(false, false, false, true, 0, 2, task.initiatorTaskTag(), 0, 7, 51, 70, 0, 0,
                4096, segment));
        ScsiOutcome outcome = events.outcomes.get(0);
        assertThat(outcome.good()).isFalse();
        assertThat(outcome.underflow()).isTrue();
        assertThat(outcome.residual()).isEqualTo(4096);
        assertThat(outcome.sense().senseKey()).isEqualTo(SenseKey.MEDIUM_ERROR);
        assertThat(outcome.sense().information()).isEqualTo(42);
        assertThat(outcome.data().readableBytes()).isZero();
    }

    @Test
    void shouldAnswerTargetPingsAndPingASilentTarget() {
        Connection connection = connection(true, false);
        connection.onPdu(new NopInPdu(0, Bhs.RESERVED_TAG, 0x55, 7, 50, 60, Unpooled.copiedBuffer("abc", StandardCharsets.UTF_8)));
        NopOutPdu answer = out();
        assertThat(answer.initiatorTaskTag()).isEqualTo(Bhs.RESERVED_TAG);
        assertThat(answer.targetTransferTag()).isEqualTo(0x55);
        assertThat(answer.immediate()).isTrue();
        assertThat(answer.data().toString(StandardCharsets.UTF_8)).isEqualTo("abc");
        answer.release();

        long now = System.nanoTime();
        long second = TimeUnit.SECONDS.toNanos(1);
        assertThat(connection.check(now + 2 * second, 30 * second, second, second)).isNull();
        NopOutPdu ping = out();
        assertThat(ping.initiatorTaskTag()).isNotEqualTo(Bhs.RESERVED_TAG);
        ping.release();
        assertThat(connection.check(now + 4 * second, 30 * second, second, second)).contains("NOP-Out ping");
        connection.onPdu(new NopInPdu(0, ping.initiatorTaskTag(), Bhs.RESERVED_TAG, 7, 50, 60, Unpooled.EMPTY_BUFFER));
        assertThat(connection.check(System.nanoTime(), 30 * second, second, second)).isNull();
    }

    @Test
    void shouldGiveUpOnACommandWithoutAnAnswer() {
        Connection connection = connection(true, false);
        Task task = read(512);
        connection.send(task);
        ReferenceCountUtil.release(out());
        long second = TimeUnit.SECONDS.toNanos(1);
        assertThat(connection.check(task.sentNanos() + 31 * second, 30 * second, 60 * second, second))
                .contains("READ").contains("no answer");
        assertThat(connection.abandon()).containsExactly(task);
        assertThat(connection.inFlight()).isZero();
    }

    @Test
    void shouldPassAsynchronousMessagesOn() {
        Connection connection = connection(true, false);
        connection.onPdu(new AsyncMessagePdu(0, 7, 50, 60, AsyncMessagePdu.LOGOUT_REQUEST, 0, 0, 0, 5, Unpooled.EMPTY_BUFFER));
        assertThat(events.logoutSeconds).isEqualTo(5);
        byte[] sense = new SenseData(SenseKey.UNIT_ATTENTION, 0x2A, 0x09, 0, false, -1).encode(false);
        connection.onPdu(new AsyncMessagePdu(LUN, 8, 50, 60, AsyncMessagePdu.SCSI_ASYNC_EVENT, 0, 0, 0, 0,
                Unpooled.buffer().writeShort(sense.length).writeBytes(sense)));
        assertThat(events.asyncEvents).singleElement().satisfies(s -> assertThat(s.asc()).isEqualTo(0x2A));
        connection.onPdu(new AsyncMessagePdu(0, 9, 50, 60, 2, 0, 0, 3, 0, Unpooled.EMPTY_BUFFER));
        assertThat(events.dropTime2Wait).isEqualTo(3);
    }

    @Test
    void shouldHandBackCommandsRejectedWhileTheTargetWaitsForALogout() {
        Connection connection = connection(true, false);
        Task task = read(512);
        connection.send(task);
        ScsiCommandPdu command = out();
        ByteBuf header = Unpooled.buffer(Bhs.LENGTH).writeZero(Bhs.LENGTH);
        header.setByte(0, 0x01);
        header.setInt(Bhs.INITIATOR_TASK_TAG_OFFSET, command.initiatorTaskTag());
        command.release();
        connection.onPdu(new RejectPdu(0x0C, 7, 50, 60, 0, header));
        assertThat(events.rejected).containsExactly(0x0C);
        assertThat(connection.inFlight()).isZero();
    }

    @Test
    void shouldLogOutAndCloseOnTheResponse() {
        Connection connection = connection(true, false);
        connection.logout();
        LogoutRequestPdu logout = out();
        assertThat(logout.reasonCode()).isEqualTo(LogoutRequestPdu.CLOSE_SESSION);
        assertThat(logout.cmdSn()).isEqualTo(50);
        connection.onPdu(new LogoutResponsePdu(0, logout.initiatorTaskTag(), 7, 50, 60, 0, 0));
        assertThat(events.loggedOut).isTrue();
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void shouldHoldCommandsWhileTheWindowIsClosed() {
        OperationalParameters p = OperationalParameters.DEFAULTS;
        Connection connection = new Connection(channel, p, new CmdSnWindow(5, 5, 5), 1, LUN, () -> tags++, events, "test");
        assertThat(connection.canSend()).isTrue();
        Task task = read(512);
        connection.send(task);
        ReferenceCountUtil.release(out());
        assertThat(connection.canSend()).isFalse();
        assertThat(connection.windowClosed()).isTrue();
        connection.onPdu(new NopInPdu(0, Bhs.RESERVED_TAG, Bhs.RESERVED_TAG, 1, 6, 7, Unpooled.EMPTY_BUFFER));
        assertThat(connection.canSend()).isTrue();
    }

    private DataInPdu dataIn(int tag, int dataSn, int offset, int length, boolean status) {
        ByteBuf data = Unpooled.buffer(length).writeZero(length);
        data.setByte(0, dataSn);
        return new DataInPdu(status, false, false, false, status, 0, LUN, tag, Bhs.RESERVED_TAG, 7, 51, 70, dataSn, offset, 0,
                data);
    }

    /** The next PDU the connection wrote (the session flushes once per batch; here every time). */
    private <T> T out() {
        channel.flush();
        return channel.readOutbound();
    }

    private List<DataOutPdu> drain() {
        List<DataOutPdu> out = new ArrayList<>();
        for (Object m = out(); m != null; m = out()) {
            out.add((DataOutPdu) m);
        }
        return out;
    }

    /** What the connection told its session. */
    private static final class Recorder implements Connection.Events {
        final List<ScsiOutcome> outcomes = new ArrayList<>();
        final List<Integer> rejected = new ArrayList<>();
        final List<SenseData> asyncEvents = new ArrayList<>();
        int logoutSeconds = -1;
        int dropTime2Wait = -1;
        boolean loggedOut;

        @Override
        public void completed(Task task, ScsiOutcome outcome) {
            outcomes.add(outcome);
        }

        @Override
        public void rejected(Task task, int reason) {
            rejected.add(reason);
        }

        @Override
        public void logoutRequested(int seconds) {
            logoutSeconds = seconds;
        }

        @Override
        public void asyncEvent(SenseData sense) {
            asyncEvents.add(sense);
        }

        @Override
        public void dropAnnounced(int time2Wait) {
            dropTime2Wait = time2Wait;
        }

        @Override
        public void loggedOut() {
            loggedOut = true;
        }
    }
}
