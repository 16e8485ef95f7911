package dev.quarry.iscsi.initiator;

import dev.quarry.iscsi.login.OperationalParameters;
import dev.quarry.iscsi.pdu.AsyncMessagePdu;
import dev.quarry.iscsi.pdu.Bhs;
import dev.quarry.iscsi.pdu.DataInPdu;
import dev.quarry.iscsi.pdu.DataOutPdu;
import dev.quarry.iscsi.pdu.LoginResponsePdu;
import dev.quarry.iscsi.pdu.LogoutRequestPdu;
import dev.quarry.iscsi.pdu.LogoutResponsePdu;
import dev.quarry.iscsi.pdu.NopInPdu;
import dev.quarry.iscsi.pdu.NopOutPdu;
import dev.quarry.iscsi.pdu.Opcode;
import dev.quarry.iscsi.pdu.R2tPdu;
import dev.quarry.iscsi.pdu.RejectPdu;
import dev.quarry.iscsi.pdu.RejectReason;
import dev.quarry.iscsi.pdu.ScsiCommandPdu;
import dev.quarry.iscsi.pdu.ScsiResponsePdu;
import dev.quarry.iscsi.pdu.TargetPdu;
import dev.quarry.iscsi.pdu.TaskManagementResponsePdu;
import dev.quarry.iscsi.pdu.TextRequestPdu;
import dev.quarry.iscsi.pdu.TextResponsePdu;
import dev.quarry.iscsi.scsi.ScsiStatus;
import dev.quarry.iscsi.scsi.SenseData;
import dev.quarry.iscsi.session.SerialNumber;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One logged-in connection of a session in the full feature phase (RFC 7143, ErrorRecoveryLevel 0):
 * sends SCSI commands with their immediate and unsolicited data, answers R2Ts with Data-Out,
 * reassembles Data-In, completes commands from SCSI Responses or status-carrying Data-In, keeps
 * ExpStatSN and the command window, answers and sends NOP pings, and passes Asynchronous
 * Messages, Rejects and the Logout Response on to its session. Writes are not flushed here: the
 * session flushes once per batch.
 *
 * <p>Not thread-safe; confined to the channel's event loop.
 */
final class Connection {

    /** What the connection tells its session. All calls happen on the event loop. */
    interface Events {
        /** The target answered {@code task}; the outcome (and its data) belongs to the callee. */
        void completed(Task task, ScsiOutcome outcome);

        /** The target rejected {@code task}'s command with Reject reason {@code reason}. */
        void rejected(Task task, int reason);

        /** AsyncEvent 1: the target asks us to log out within {@code seconds}. */
        void logoutRequested(int seconds);

        /** AsyncEvent 0: a SCSI asynchronous event (capacity changed, for instance). */
        void asyncEvent(SenseData sense);

        /** AsyncEvent 2 or 3: the target drops the connection; reconnect no sooner than {@code time2Wait} seconds. */
        void dropAnnounced(int time2Wait);

        /** The Logout Response arrived; the connection closes. */
        void loggedOut();
    }

    private static final Logger LOG = LoggerFactory.getLogger(Connection.class);
    /** ATTR field: SIMPLE. Overlapping commands are ordered before they are sent, so the target may reorder. */
    private static final int SIMPLE = 1;
    private static final int MAX_TEXT_CONTINUATIONS = 16;

    private final Channel channel;
    private final OperationalParameters parameters;
    private final CmdSnWindow window;
    private final long lun;
    private final IntSupplier tags;
    private final Events events;
    private final String peer;
    private final Map<Integer, Task> tasks = new LinkedHashMap<>();
    private int expStatSn;
    private long lastReceivedNanos = System.nanoTime();
    private int pingTag = Bhs.RESERVED_TAG;
    private long pingSentNanos;
    private int logoutTag = Bhs.RESERVED_TAG;
    private int textTag = Bhs.RESERVED_TAG;
    private int textContinuations;
    private String closeReason;

    /**
     * @param expStatSn the StatSN of the final Login Response plus one
     * @param tags the session's Initiator Task Tag allocator (never the reserved tag)
     */
    Connection(Channel channel, OperationalParameters parameters, CmdSnWindow window, int expStatSn, long lun,
               IntSupplier tags, Events events, String peer) {
        this.channel = channel;
        this.parameters = parameters;
        this.window = window;
        this.expStatSn = expStatSn;
        this.lun = lun;
        this.tags = tags;
        this.events = events;
        this.peer = peer;
    }

    OperationalParameters parameters() {
        return parameters;
    }

    Channel channel() {
        return channel;
    }

    /** Commands sent and not yet answered. */
    int inFlight() {
        return tasks.size();
    }

    /** Whether the window and the socket take another command now. */
    boolean canSend() {
        return channel.isActive() && window.open() && channel.isWritable();
    }

    /** Whether the target's window is what holds commands back. */
    boolean windowClosed() {
        return !window.open();
    }

    /** Sends {@code task}'s command (and its unsolicited data) under a fresh tag and the next CmdSN. */
    void send(Task task) {
        int tag = tags.getAsInt();
        int sn = window.take();
        task.sent(tag, sn, System.nanoTime());
        tasks.put(tag, task);
        ScsiRequest request = task.request;
        int length = request.expectedLength();
        if (!request.writes()) {
            channel.write(new ScsiCommandPdu(false, true, request.dataInLength() > 0, false, SIMPLE, lun, tag, length, sn,
                    expStatSn, request.cdb(), -1, Unpooled.EMPTY_BUFFER));
            return;
        }
        ByteBuf data = request.dataOut();
        int firstBurst = Math.min(length, parameters.effectiveFirstBurstLength());
        int immediate = parameters.immediateData() ? Math.min(firstBurst, parameters.targetMaxRecvDataSegmentLength()) : 0;
        int unsolicitedEnd = parameters.initialR2t() ? immediate : firstBurst;
        ByteBuf immediateData = immediate == 0 ? Unpooled.EMPTY_BUFFER : data.retainedSlice(data.readerIndex(), immediate);
        channel.write(new ScsiCommandPdu(false, unsolicitedEnd == immediate, false, true, SIMPLE, lun, tag, length, sn,
                expStatSn, request.cdb(), -1, immediateData));
        if (unsolicitedEnd > immediate) {
            writeDataOut(task, Bhs.RESERVED_TAG, immediate, unsolicitedEnd - immediate);
        }
    }

    /** Takes one PDU from the target; takes ownership and releases it. */
    void onPdu(TargetPdu pdu) {
        lastReceivedNanos = System.nanoTime();
        try {
            switch (pdu) {
                case DataInPdu p -> onDataIn(p);
                case ScsiResponsePdu p -> onResponse(p);
                case R2tPdu p -> onR2t(p);
                case NopInPdu p -> onNopIn(p);
                case AsyncMessagePdu p -> onAsync(p);
                case RejectPdu p -> onReject(p);
                case LogoutResponsePdu p -> onLogoutResponse(p);
                case TextResponsePdu p -> onTextResponse(p);
                case TaskManagementResponsePdu p -> throw new TargetProtocolException("unsolicited Task Management Response");
                case LoginResponsePdu p -> throw new TargetProtocolException("Login Response in the full feature phase");
            }
        } finally {
            ReferenceCountUtil.release(pdu);
        }
    }

    /**
     * Why the connection must be given up, or {@code null} while it is healthy; sends a NOP-Out
     * ping after {@code nopIntervalNanos} of silence.
     */
    String check(long now, long commandTimeoutNanos, long nopIntervalNanos, long nopTimeoutNanos) {
        if (pingTag != Bhs.RESERVED_TAG && now - pingSentNanos > nopTimeoutNanos) {
            if (lastReceivedNanos - pingSentNanos < 0) {
                return "no answer to a NOP-Out ping within " + nopTimeoutNanos / 1_000_000 + " ms";
            }
            pingTag = Bhs.RESERVED_TAG;
        }
        if (!tasks.isEmpty()) {
            Task oldest = tasks.values().iterator().next();
            if (now - oldest.sentNanos() > commandTimeoutNanos) {
                return oldest + " got no answer within " + commandTimeoutNanos / 1_000_000 + " ms";
            }
        }
        if (pingTag == Bhs.RESERVED_TAG && now - lastReceivedNanos > nopIntervalNanos) {
            ping(now);
        }
        return null;
    }

    /** Closes the connection because of {@code reason} (kept for the session's log). */
    void close(String reason) {
        if (closeReason == null) {
            closeReason = reason;
        }
        channel.close();
    }

    /** Why this side closed the connection, or {@code null} when it did not. */
    String closeReason() {
        return closeReason;
    }

    /** Asks to close the session (Logout Request, reason 0); the answer ends up in {@link Events#loggedOut()}. */
    void logout() {
        if (logoutTag != Bhs.RESERVED_TAG || !channel.isActive()) {
            return;
        }
        logoutTag = tags.getAsInt();
        channel.writeAndFlush(new LogoutRequestPdu(true, LogoutRequestPdu.CLOSE_SESSION, logoutTag, 0, window.current(),
                expStatSn));
    }

    /**
     * The commands still waiting for an answer, in the order they were sent, with the state of
     * their send dropped; the connection forgets them (it is gone).
     */
    List<Task> abandon() {
        List<Task> open = new ArrayList<>(tasks.values());
        tasks.clear();
        open.forEach(Task::abandonSend);
        return open;
    }

    private void onDataIn(DataInPdu p) {
        sequence(p.statSn(), p.expCmdSn(), p.maxCmdSn(), p.statusPresent());
        Task task = task(p.initiatorTaskTag(), "Data-In");
        if (task.dataIn() == null) {
            throw new TargetProtocolException("Data-In for " + task + ", which reads nothing");
        }
        task.dataIn().accept(p, channel.alloc());
        if (p.statusPresent()) {
            complete(task, 0, p.status(), null, p.residualOverflow(), p.residualUnderflow(), p.residualCount());
        }
    }

    private void onResponse(ScsiResponsePdu p) {
        sequence(p.statSn(), p.expCmdSn(), p.maxCmdSn(), true);
        Task task = task(p.initiatorTaskTag(), "SCSI Response");
        SenseData sense = p.status() == ScsiStatus.CHECK_CONDITION.code() ? SenseParser.ofSegment(p.data()) : null;
        complete(task, p.response(), p.status(), sense, p.residualOverflow(), p.residualUnderflow(), p.residualCount());
    }

    private void complete(Task task, int response, int status, SenseData sense, boolean overflow, boolean underflow,
                          int residual) {
        tasks.remove(task.initiatorTaskTag());
        ByteBuf data = task.dataIn() == null ? null : task.dataIn().take(channel.alloc());
        events.completed(task, new ScsiOutcome(response, status, sense, data, overflow, underflow, residual));
    }

    private void onR2t(R2tPdu p) {
        sequence(p.statSn(), p.expCmdSn(), p.maxCmdSn(), false);
        Task task = task(p.initiatorTaskTag(), "R2T");
        if (!task.request.writes()) {
            throw new TargetProtocolException("R2T for " + task + ", which writes nothing");
        }
        task.r2t(p.r2tSn());
        long offset = Integer.toUnsignedLong(p.bufferOffset());
        long length = Integer.toUnsignedLong(p.desiredDataTransferLength());
        if (length == 0 || offset + length > task.request.expectedLength()) {
            throw new TargetProtocolException("R2T for " + length + " bytes at " + offset + " of " + task + " ("
                    + task.request.expectedLength() + " bytes)");
        }
        writeDataOut(task, p.targetTransferTag(), (int) offset, (int) length);
    }

    /** One Data-Out sequence: {@code length} bytes from {@code offset} in segments the target accepts. */
    private void writeDataOut(Task task, int targetTransferTag, int offset, int length) {
        ByteBuf data = task.request.dataOut();
        int maxSegment = parameters.targetMaxRecvDataSegmentLength();
        int end = offset + length;
        int dataSn = 0;
        for (int at = offset; at < end; ) {
            int n = Math.min(maxSegment, end - at);
            channel.write(new DataOutPdu(at + n == end, lun, task.initiatorTaskTag(), targetTransferTag, expStatSn, dataSn++,
                    at, data.retainedSlice(data.readerIndex() + at, n)));
            at += n;
        }
    }

    private void onNopIn(NopInPdu p) {
        boolean answer = p.initiatorTaskTag() != Bhs.RESERVED_TAG;
        sequence(p.statSn(), p.expCmdSn(), p.maxCmdSn(), answer);
        if (answer && p.initiatorTaskTag() == pingTag) {
            pingTag = Bhs.RESERVED_TAG;
        }
        if (p.targetTransferTag() != Bhs.RESERVED_TAG) {
            ByteBuf ping = p.data();
            int length = Math.min(ping.readableBytes(), parameters.targetMaxRecvDataSegmentLength());
            channel.write(new NopOutPdu(true, p.lun(), Bhs.RESERVED_TAG, p.targetTransferTag(), window.current(), expStatSn,
                    ping.retainedSlice(ping.readerIndex(), length)));
        }
    }

    private void onAsync(AsyncMessagePdu p) {
        sequence(p.statSn(), p.expCmdSn(), p.maxCmdSn(), true);
        switch (p.asyncEvent()) {
            case AsyncMessagePdu.SCSI_ASYNC_EVENT -> {
                SenseData sense = SenseParser.ofSegment(p.data());
                if (sense != null) {
                    events.asyncEvent(sense);
                }
            }
            case AsyncMessagePdu.LOGOUT_REQUEST -> events.logoutRequested(p.parameter3());
            case 2, 3 -> events.dropAnnounced(p.parameter2());
            case 4 -> renegotiate();
            default -> LOG.debug("{}: ignoring AsyncEvent {}", peer, p.asyncEvent());
        }
    }

    /** AsyncEvent 4: the target asks for a text negotiation; an empty Text Request honours it (RFC 7143 §11.9.1). */
    private void renegotiate() {
        if (textTag != Bhs.RESERVED_TAG) {
            return;
        }
        textTag = tags.getAsInt();
        textContinuations = 0;
        channel.write(new TextRequestPdu(true, true, false, 0, textTag, Bhs.RESERVED_TAG, window.current(), expStatSn,
                Unpooled.EMPTY_BUFFER));
    }

    private void onTextResponse(TextResponsePdu p) {
        sequence(p.statSn(), p.expCmdSn(), p.maxCmdSn(), true);
        if (p.initiatorTaskTag() != textTag) {
            throw new TargetProtocolException("Text Response for unknown task 0x" + Integer.toHexString(p.initiatorTaskTag()));
        }
        if (p.finalPdu() || ++textContinuations > MAX_TEXT_CONTINUATIONS) {
            textTag = Bhs.RESERVED_TAG;
            return;
        }
        channel.write(new TextRequestPdu(true, true, false, 0, textTag, p.targetTransferTag(), window.current(), expStatSn,
                Unpooled.EMPTY_BUFFER));
    }

    private void onReject(RejectPdu p) {
        sequence(p.statSn(), p.expCmdSn(), p.maxCmdSn(), true);
        ByteBuf header = p.data();
        if (header.readableBytes() < Bhs.LENGTH) {
            LOG.warn("{}: Reject with reason 0x{} and no rejected header", peer, Integer.toHexString(p.reason()));
            return;
        }
        int opcode = header.getUnsignedByte(header.readerIndex()) & Opcode.MASK;
        int tag = header.getInt(header.readerIndex() + Bhs.INITIATOR_TASK_TAG_OFFSET);
        LOG.debug("{}: Reject reason 0x{} of opcode 0x{} itt 0x{}", peer, Integer.toHexString(p.reason()),
                Integer.toHexString(opcode), Integer.toHexString(tag));
        if (opcode == Opcode.SCSI_COMMAND.code() && p.reason() != RejectReason.DATA_DIGEST_ERROR.code()) {
            Task task = tasks.remove(tag);
            if (task != null) {
                task.abandonSend();
                events.rejected(task, p.reason());
            }
        } else if (opcode == Opcode.NOP_OUT.code() && tag == pingTag) {
            pingTag = Bhs.RESERVED_TAG;
        } else if (opcode == Opcode.LOGOUT_REQUEST.code()) {
            channel.close();
        } else if (opcode == Opcode.TEXT_REQUEST.code()) {
            textTag = Bhs.RESERVED_TAG;
        }
    }

    private void onLogoutResponse(LogoutResponsePdu p) {
        sequence(p.statSn(), p.expCmdSn(), p.maxCmdSn(), true);
        if (p.initiatorTaskTag() != logoutTag) {
            throw new TargetProtocolException("Logout Response for a logout we did not request");
        }
        events.loggedOut();
        channel.close();
    }

    private void ping(long now) {
        pingTag = tags.getAsInt();
        pingSentNanos = now;
        channel.writeAndFlush(new NopOutPdu(true, 0, pingTag, Bhs.RESERVED_TAG, window.current(), expStatSn,
                Unpooled.EMPTY_BUFFER));
    }

    private Task task(int tag, String what) {
        Task task = tasks.get(tag);
        if (task == null) {
            throw new TargetProtocolException(what + " for unknown task 0x" + Integer.toHexString(tag));
        }
        return task;
    }

    /** Takes the sequence numbers of a target PDU: ExpStatSN when it carries a status, the window always. */
    private void sequence(int statSn, int newExpCmdSn, int newMaxCmdSn, boolean advancesStatSn) {
        if (advancesStatSn) {
            expStatSn = SerialNumber.max(expStatSn, statSn + 1);
        }
        window.update(newExpCmdSn, newMaxCmdSn);
    }
}
