package dev.quarry.iscsi.session;

import dev.quarry.iscsi.codec.PduDecodeError;
import dev.quarry.iscsi.login.LoginResult;
import dev.quarry.iscsi.login.NegotiationPolicy;
import dev.quarry.iscsi.login.SessionType;
import dev.quarry.iscsi.pdu.AsyncMessagePdu;
import dev.quarry.iscsi.pdu.Bhs;
import dev.quarry.iscsi.pdu.DataOutPdu;
import dev.quarry.iscsi.pdu.InitiatorPdu;
import dev.quarry.iscsi.pdu.LoginRequestPdu;
import dev.quarry.iscsi.pdu.LogoutRequestPdu;
import dev.quarry.iscsi.pdu.LogoutResponsePdu;
import dev.quarry.iscsi.pdu.NopOutPdu;
import dev.quarry.iscsi.pdu.Opcode;
import dev.quarry.iscsi.pdu.RejectReason;
import dev.quarry.iscsi.pdu.ScsiCommandPdu;
import dev.quarry.iscsi.pdu.SnackRequestPdu;
import dev.quarry.iscsi.pdu.TaskManagementRequestPdu;
import dev.quarry.iscsi.pdu.TextRequestPdu;
import dev.quarry.iscsi.scsi.ItNexus;
import dev.quarry.iscsi.scsi.NexusEvents;
import dev.quarry.iscsi.scsi.NexusPort;
import dev.quarry.iscsi.scsi.ScsiTarget;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.util.ReferenceCounted;
import io.netty.util.concurrent.EventExecutor;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Full feature phase of one session on its one connection (RFC 7143 §4, ErrorRecoveryLevel 0):
 * checks each PDU against the connection state, orders non-immediate requests by CmdSN, and
 * dispatches them to the SCSI data path, task management, NOP, text and logout handling. It is
 * also the session's {@link NexusEvents}: asynchronous events from the SCSI layer hop to the event
 * loop and go out as Asynchronous Messages.
 *
 * <p>Not thread-safe; confined to the channel event loop, except the {@link NexusEvents} methods,
 * which may be called from any thread.
 */
public final class FullFeatureSession {

    private static final Logger LOG = LoggerFactory.getLogger(FullFeatureSession.class);
    private static final Set<Opcode> SEQUENCED = EnumSet.of(Opcode.NOP_OUT, Opcode.SCSI_COMMAND, Opcode.TASK_MGMT_REQUEST,
            Opcode.TEXT_REQUEST, Opcode.LOGOUT_REQUEST);

    private final ConnectionStateMachine state;
    private final SessionContext session;
    private final CommandSequencer<OrderedRequest> sequencer;
    private final ScsiCommandHandler commands;
    private final TaskManagementHandler taskManagement;
    private final NopHandler nop;
    private final TextRequestHandler text;
    private final int cid;
    private ScheduledFuture<?> logoutDeadline;
    private boolean closed;

    /**
     * Enters full feature phase: attaches the nexus to {@code scsiTarget} (Normal sessions).
     *
     * @param numbers the sequence numbers, already used to stamp the final Login Response
     * @param scsiTarget the SCSI target of a Normal session; {@code null} for Discovery
     * @throws RuntimeException when the SCSI layer refuses the nexus
     */
    public FullFeatureSession(Outbound out, ConnectionStateMachine state, LoginResult<?> login, SessionSettings settings,
                              NegotiationPolicy policy, ScsiTarget scsiTarget, ItNexus nexus,
                              SendTargetsDirectory directory, InetSocketAddress localAddress) {
        this.state = state;
        this.cid = login.cid();
        this.sequencer = new CommandSequencer<>(out.numbers().window());
        NexusPort port = scsiTarget == null ? null : scsiTarget.attach(nexus, new Events(out.executor()));
        this.session = new SessionContext(out, settings, login.sessionType(), port, login.initiatorName(), login.parameters());
        this.commands = new ScsiCommandHandler(session);
        this.taskManagement = new TaskManagementHandler(session, commands);
        this.nop = new NopHandler(session, out::closeAfterFlush);
        this.text = new TextRequestHandler(session, directory, policy,
                login.target() == null ? null : login.target().name(), localAddress);
    }

    /** Handles one PDU from the initiator; takes ownership. */
    public void onPdu(InitiatorPdu pdu) {
        if (closed || !state.current().fullFeature()) {
            release(pdu);
            return;
        }
        switch (pdu) {
            case ScsiCommandPdu p -> scsiCommand(p, false);
            case DataOutPdu p -> {
                if (session.type() == SessionType.DISCOVERY) {
                    rejectAndRelease(RejectReason.COMMAND_NOT_SUPPORTED, p);
                } else {
                    commands.dataOut(p);
                }
            }
            case NopOutPdu p -> sequenced(p.immediate(), p.cmdSn(), () -> ordered(() -> nop.nopOut(p), p::release), p::release);
            case TextRequestPdu p -> sequenced(p.immediate(), p.cmdSn(), () -> ordered(() -> text.handle(p), p::release),
                    p::release);
            case TaskManagementRequestPdu p -> sequenced(p.immediate(), p.cmdSn(), () -> ordered(
                    () -> taskManagement(p), () -> { }), () -> { });
            case LogoutRequestPdu p -> sequenced(p.immediate(), p.cmdSn(), () -> ordered(() -> logout(p), () -> { }), () -> { });
            case LoginRequestPdu p -> rejectAndRelease(RejectReason.PROTOCOL_ERROR, p);
            case SnackRequestPdu p -> session.out().reject(RejectReason.PROTOCOL_ERROR, p);
        }
    }

    /** Answers a frame the decoders could not turn into a usable PDU. */
    public void onDecodeError(PduDecodeError error) {
        if (closed) {
            return;
        }
        LOG.info("initiator {}: {}", session.initiatorName(), error);
        if (error.reason() != null) {
            session.out().reject(error.reason(), error.header());
        }
        if (error.closeConnection()) {
            session.out().closeAfterFlush();
            return;
        }
        if (error.pdu() != null) {
            switch (error.pdu()) {
                case ScsiCommandPdu p -> scsiCommand(p, true);
                case DataOutPdu p -> commands.corruptDataOut(p);
                default -> consumeCmdSn(error.header());
            }
            return;
        }
        consumeCmdSn(error.header());
    }

    /** The initiator was idle for the NOP interval: ping it. */
    public void onIdle() {
        if (!closed && state.current().fullFeature()) {
            nop.idle();
        }
    }

    /**
     * Asks the initiator to log out within {@code grace} (AsyncEvent 1, RFC 7143 §11.9.1) and
     * drops the connection when it has not by then.
     */
    public void requestLogout(Duration grace) {
        if (closed || state.current() != ConnectionState.LOGGED_IN) {
            return;
        }
        long seconds = Math.max(1, Math.min(0xFFFF, grace.toSeconds()));
        SequenceNumbers numbers = session.numbers();
        session.out().write(new AsyncMessagePdu(0L, numbers.takeStatSn(), numbers.expCmdSn(), numbers.maxCmdSn(),
                AsyncMessagePdu.LOGOUT_REQUEST, 0, 0, 0, (int) seconds, Unpooled.EMPTY_BUFFER));
        session.out().flush();
        state.on(ConnectionState.Event.ASYNC_LOGOUT_SENT);
        logoutDeadline = session.out().executor().schedule(session.out()::closeAfterFlush, grace.toNanos(),
                TimeUnit.NANOSECONDS);
    }

    /** The connection is gone: frees every held buffer and ends the nexus. Idempotent. */
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        state.close(ConnectionState.Event.TRANSPORT_CLOSED);
        if (logoutDeadline != null) {
            logoutDeadline.cancel(false);
        }
        sequencer.clear(OrderedRequest::discard);
        commands.close();
        taskManagement.close();
        nop.close();
        if (session.port() != null) {
            try {
                session.port().close();
            } catch (RuntimeException e) {
                LOG.error("closing the nexus of {} failed", session.initiatorName(), e);
            }
        }
    }

    private void scsiCommand(ScsiCommandPdu command, boolean corruptData) {
        RejectReason refusal = session.type() == SessionType.DISCOVERY ? RejectReason.COMMAND_NOT_SUPPORTED
                : state.current() == ConnectionState.LOGOUT_REQUESTED ? RejectReason.WAITING_FOR_LOGOUT : null;
        sequenced(command.immediate(), command.cmdSn(), () -> commands.prepare(command, refusal, corruptData), command::release);
    }

    private void taskManagement(TaskManagementRequestPdu request) {
        if (session.type() == SessionType.DISCOVERY) {
            session.out().reject(RejectReason.COMMAND_NOT_SUPPORTED, request);
        } else {
            taskManagement.handle(request);
        }
    }

    /**
     * Runs the request made by {@code prepare} now (immediate), in its CmdSN turn, or never: a
     * CmdSN outside the window, or one already held, is dropped silently (RFC 7143 §4.2.2.1) and
     * {@code release} frees the PDU.
     */
    private void sequenced(boolean immediate, int cmdSn, Supplier<OrderedRequest> prepare, Runnable release) {
        if (immediate) {
            prepare.get().process();
            return;
        }
        CommandWindow.Position position = session.window().position(cmdSn);
        boolean acceptable = position == CommandWindow.Position.NEXT
                || position == CommandWindow.Position.AHEAD && !sequencer.holds(cmdSn);
        if (!acceptable) {
            LOG.debug("ignoring CmdSN {} outside [{}, {}]", Integer.toUnsignedString(cmdSn),
                    Integer.toUnsignedString(session.window().expCmdSn()), Integer.toUnsignedString(session.window().maxCmdSn()));
            release.run();
            return;
        }
        sequencer.offer(cmdSn, prepare.get(), OrderedRequest::process);
    }

    private void consumeCmdSn(byte[] header) {
        int code = header[Bhs.OPCODE_OFFSET] & Opcode.MASK;
        boolean immediate = (header[Bhs.OPCODE_OFFSET] & Bhs.IMMEDIATE_BIT) != 0;
        if (immediate || SEQUENCED.stream().noneMatch(o -> o.code() == code)) {
            return;
        }
        int cmdSn = Unpooled.wrappedBuffer(header).getInt(Bhs.CMD_SN_OFFSET);
        sequenced(false, cmdSn, () -> OrderedRequest.NOTHING, () -> { });
    }

    private void logout(LogoutRequestPdu request) {
        switch (request.reasonCode()) {
            case LogoutRequestPdu.CLOSE_SESSION -> logOut(request);
            case LogoutRequestPdu.CLOSE_CONNECTION -> {
                if (request.cid() == cid) {
                    logOut(request);
                } else {
                    respondLogout(request, LogoutResponsePdu.CID_NOT_FOUND);
                }
            }
            case LogoutRequestPdu.REMOVE_CONNECTION_FOR_RECOVERY -> respondLogout(request, LogoutResponsePdu.RECOVERY_NOT_SUPPORTED);
            default -> session.out().reject(RejectReason.INVALID_PDU_FIELD, request);
        }
    }

    /** RFC 7143 §11.14: tasks still held end now, the SCSI layer's are aborted when the nexus closes. */
    private void logOut(LogoutRequestPdu request) {
        state.on(ConnectionState.Event.LOGOUT_REQUEST);
        commands.close();
        respondLogout(request, LogoutResponsePdu.CLOSED_SUCCESSFULLY);
        state.on(ConnectionState.Event.LOGOUT_RESPONSE_SENT);
        session.out().closeAfterFlush();
    }

    private void respondLogout(LogoutRequestPdu request, int response) {
        SequenceNumbers numbers = session.numbers();
        session.out().write(new LogoutResponsePdu(response, request.initiatorTaskTag(), numbers.takeStatSn(),
                numbers.expCmdSn(), numbers.maxCmdSn(), 0, 0));
        session.out().flush();
    }

    private void rejectAndRelease(RejectReason reason, InitiatorPdu pdu) {
        try {
            session.out().reject(reason, pdu);
        } finally {
            release(pdu);
        }
    }

    private static OrderedRequest ordered(Runnable process, Runnable discard) {
        return new OrderedRequest() {
            @Override
            public void process() {
                process.run();
            }

            @Override
            public void discard() {
                discard.run();
            }
        };
    }

    private static void release(InitiatorPdu pdu) {
        if (pdu instanceof ReferenceCounted counted) {
            counted.release();
        }
    }

    /** The SCSI layer's unasked news for this nexus, hopped onto the event loop. */
    private final class Events implements NexusEvents {

        private final EventExecutor loop;

        Events(EventExecutor loop) {
            this.loop = loop;
        }

        @Override
        public void asyncEvent(long lun, byte[] senseData) {
            byte[] sense = senseData == null ? new byte[0] : senseData.clone();
            hop(() -> {
                if (closed || !state.current().fullFeature()) {
                    return;
                }
                ByteBuf data = session.out().alloc().buffer(2 + sense.length).writeShort(sense.length).writeBytes(sense);
                SequenceNumbers numbers = session.numbers();
                session.out().write(new AsyncMessagePdu(lun, numbers.takeStatSn(), numbers.expCmdSn(), numbers.maxCmdSn(),
                        AsyncMessagePdu.SCSI_ASYNC_EVENT, 0, 0, 0, 0, data));
                session.out().flush();
            });
        }

        @Override
        public void tasksAborted(long lun) {
            hop(() -> {
                if (!closed) {
                    for (ScsiTask task : session.tasks().select(t -> t.lun() == lun && !t.delivered())) {
                        commands.abortHeld(task);
                    }
                }
            });
        }

        @Override
        public void coldReset() {
            hop(() -> {
                if (!closed) {
                    LOG.info("TARGET COLD RESET ends the session of {}", session.initiatorName());
                    session.out().closeAfterFlush();
                }
            });
        }

        private void hop(Runnable action) {
            try {
                loop.execute(action);
            } catch (RejectedExecutionException e) {
                LOG.debug("event for a closed connection dropped", e);
            }
        }
    }
}
