package dev.quarry.iscsi.server;

import dev.quarry.block.IoPlug;
import dev.quarry.iscsi.codec.CodecControl;
import dev.quarry.iscsi.codec.PduDecodeError;
import dev.quarry.iscsi.login.LoginConversation;
import dev.quarry.iscsi.login.LoginReply;
import dev.quarry.iscsi.login.LoginResult;
import dev.quarry.iscsi.login.LoginStep;
import dev.quarry.iscsi.login.OperationalParameters;
import dev.quarry.iscsi.login.TextCodec;
import dev.quarry.iscsi.pdu.InitiatorPdu;
import dev.quarry.iscsi.pdu.LoginRequestPdu;
import dev.quarry.iscsi.pdu.LoginResponsePdu;
import dev.quarry.iscsi.pdu.LoginStatus;
import dev.quarry.iscsi.scsi.ItNexus;
import dev.quarry.iscsi.session.CommandWindow;
import dev.quarry.iscsi.session.ConnectionState;
import dev.quarry.iscsi.session.ConnectionStateMachine;
import dev.quarry.iscsi.session.FullFeatureSession;
import dev.quarry.iscsi.session.Outbound;
import dev.quarry.iscsi.session.SequenceNumbers;
import dev.quarry.iscsi.session.SessionHandle;
import dev.quarry.iscsi.session.SessionKey;
import dev.quarry.iscsi.session.SessionRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last handler of a connection's pipeline: runs the login phase through a
 * {@link LoginConversation}, registers the session (reinstating an older one with the same
 * initiator port and target), sends the final Login Response, switches the codec to the
 * negotiated digests and limits, and from then on hands every PDU to the
 * {@link FullFeatureSession}. Times out logins, answers other PDUs during login with 0x020B, and
 * frees everything when the connection closes.
 *
 * <p>Not thread-safe; confined to the channel event loop. Its {@link SessionHandle} methods may be
 * called from any thread and hop to the event loop.
 */
final class IscsiConnectionHandler extends ChannelInboundHandlerAdapter implements SessionHandle {

    private static final Logger LOG = LoggerFactory.getLogger(IscsiConnectionHandler.class);

    private final ServerContext server;
    private final CodecControl codec;
    private final CompletableFuture<Void> terminated = new CompletableFuture<>();
    private ChannelHandlerContext ctx;
    private ConnectionStateMachine state;
    private LoginConversation<TargetEntry> login;
    private FullFeatureSession session;
    private ScheduledFuture<?> loginTimer;
    private int statSn;
    private long isid;
    private int tsih;
    private boolean registered;
    private boolean completing;

    IscsiConnectionHandler(ServerContext server, CodecControl codec) {
        this.server = server;
        this.codec = codec;
    }

    @Override
    public void channelActive(ChannelHandlerContext context) {
        ctx = context;
        state = new ConnectionStateMachine(String.valueOf(context.channel().remoteAddress()));
        state.on(ConnectionState.Event.TRANSPORT_UP);
        IscsiServerConfig config = server.config();
        login = new LoginConversation<>(server.targets(), server.sessions(), config.negotiation(), config.portalGroupTag(),
                server.random(), config.maxTextLength());
        statSn = server.random().nextInt();
        loginTimer = context.executor().schedule(this::loginTimedOut, config.loginTimeout().toNanos(), TimeUnit.NANOSECONDS);
        context.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext context, Object msg) {
        ConnectionState current = state.current();
        if (current.fullFeature() && session != null) {
            // Device hand-offs wait until the PDU is handled, so that a reply sent on the way
            // (a write acknowledged in a volume's write-back window) leaves first.
            try (IoPlug plug = IoPlug.open()) {
                if (msg instanceof PduDecodeError error) {
                    session.onDecodeError(error);
                } else {
                    session.onPdu((InitiatorPdu) msg);
                }
            }
        } else if (current == ConnectionState.XPT_UP || current == ConnectionState.IN_LOGIN) {
            loginPhase(msg);
        } else {
            ReferenceCountUtil.release(msg);
        }
    }

    private void loginPhase(Object msg) {
        if (msg instanceof PduDecodeError error) {
            LOG.info("{}: unusable PDU during login ({}), closing", ctx.channel().remoteAddress(), error);
            failed(null);
            ctx.close();
            return;
        }
        try {
            if (!(msg instanceof LoginRequestPdu request) || completing) {
                InitiatorPdu pdu = (InitiatorPdu) msg;
                LOG.info("{}: {} during login", ctx.channel().remoteAddress(), pdu.opcode());
                reply(new LoginReply(false, 0, 0, LoginStatus.INVALID_DURING_LOGIN, List.of()), pdu.initiatorTaskTag(), 0, 0);
                failed(LoginStatus.INVALID_DURING_LOGIN);
                ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
                return;
            }
            if (state.current() == ConnectionState.XPT_UP) {
                state.on(ConnectionState.Event.LOGIN_REQUEST);
            }
            isid = request.isid();
            LoginStep<TargetEntry> step = login.onRequest(request);
            switch (step.outcome()) {
                case CONTINUE -> {
                    reply(step.reply(), request.initiatorTaskTag(), request.cmdSn(), 0);
                    ctx.flush();
                }
                case FAIL -> {
                    LOG.info("{}: login of {} failed with 0x{}: {}", ctx.channel().remoteAddress(), login.initiatorName(),
                            Integer.toHexString(step.reply().status().code()), step.detail());
                    reply(step.reply(), request.initiatorTaskTag(), request.cmdSn(), 0);
                    failed(step.reply().status());
                    ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
                }
                case COMPLETE -> complete(step, request.initiatorTaskTag());
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    /** Registers the session; once a reinstated predecessor is gone, enters full feature phase. */
    private void complete(LoginStep<TargetEntry> step, int initiatorTaskTag) {
        LoginResult<TargetEntry> result = step.result();
        String targetName = result.target() == null ? "" : result.target().name();
        SessionRegistry sessions = server.sessions();
        Optional<SessionRegistry.Registration> registration = sessions.register(
                new SessionKey(result.initiatorName(), result.isid(), targetName), this);
        if (registration.isEmpty()) {
            reject(step, initiatorTaskTag, LoginStatus.OUT_OF_RESOURCES, "session limit reached");
            return;
        }
        completing = true;
        registered = true;
        tsih = registration.get().tsih();
        CompletionStage<Void> predecessor = registration.get().replaced()
                .map(old -> {
                    LOG.info("{}: reinstating the session of {} isid 0x{}", ctx.channel().remoteAddress(),
                            result.initiatorName(), Long.toHexString(result.isid()));
                    return old.terminate();
                })
                .orElse(CompletableFuture.completedFuture(null));
        predecessor.whenComplete((ignored, error) -> hop(() -> enterFullFeature(step, initiatorTaskTag)));
    }

    private void enterFullFeature(LoginStep<TargetEntry> step, int initiatorTaskTag) {
        if (!ctx.channel().isActive()) {
            return;
        }
        LoginResult<TargetEntry> result = step.result();
        IscsiServerConfig config = server.config();
        CommandWindow window = new CommandWindow(result.cmdSn(), config.queueDepth());
        SequenceNumbers numbers = new SequenceNumbers(window, statSn);
        TargetEntry target = result.target();
        try {
            session = new FullFeatureSession(new Outbound(ctx, numbers), state, result, config.sessionSettings(),
                    config.negotiation(), target == null ? null : target.scsiTarget(),
                    target == null ? null : new ItNexus(result.initiatorName(), result.isid(), target.name(),
                            config.portalGroupTag()),
                    server.directory(), ctx.channel().localAddress() instanceof InetSocketAddress local ? local : null);
        } catch (RuntimeException e) {
            LOG.error("{}: the SCSI target refused the nexus of {}", ctx.channel().remoteAddress(), result.initiatorName(), e);
            reject(step, initiatorTaskTag, LoginStatus.TARGET_ERROR, e.getMessage());
            return;
        }
        ByteBuf keys = encode(step.reply());
        ctx.writeAndFlush(new LoginResponsePdu(true, false, step.reply().currentStage(), step.reply().nextStage(),
                LoginConversation.VERSION, LoginConversation.VERSION, isid, tsih, initiatorTaskTag, numbers.takeStatSn(),
                window.expCmdSn(), window.maxCmdSn(), 0, 0, keys));
        OperationalParameters parameters = result.parameters();
        codec.enterFullFeaturePhase(parameters.headerDigest(), parameters.dataDigest(),
                parameters.targetMaxRecvDataSegmentLength());
        state.on(ConnectionState.Event.LOGIN_COMPLETE);
        loginTimer.cancel(false);
        login = null;
        completing = false;
        server.config().metrics().loginSucceeded(result.sessionType());
        LOG.info("{}: {} session of {} to '{}' logged in, TSIH {}", ctx.channel().remoteAddress(), result.sessionType(),
                result.initiatorName(), target == null ? "" : target.name(), tsih);
    }

    private void reject(LoginStep<TargetEntry> step, int initiatorTaskTag, LoginStatus status, String detail) {
        LOG.warn("{}: login of {} failed: {}", ctx.channel().remoteAddress(), step.result().initiatorName(), detail);
        reply(new LoginReply(false, step.reply().currentStage(), 0, status, List.of()), initiatorTaskTag,
                step.result().cmdSn(), 0);
        failed(status);
        ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
    }

    /** Writes a Login Response during login (the final one is written by {@link #enterFullFeature}). */
    private void reply(LoginReply reply, int initiatorTaskTag, int cmdSn, int responseTsih) {
        int queueDepth = server.config().queueDepth();
        ctx.write(new LoginResponsePdu(reply.transit(), false, reply.currentStage(), reply.nextStage(),
                LoginConversation.VERSION, LoginConversation.VERSION, isid, responseTsih, initiatorTaskTag, statSn++,
                cmdSn, cmdSn + queueDepth - 1, reply.status().statusClass(), reply.status().statusDetail(), encode(reply)));
    }

    /** The reply's keys as a data segment (the conversation keeps it within 8192 bytes). */
    private ByteBuf encode(LoginReply reply) {
        if (reply.keys().isEmpty()) {
            return Unpooled.EMPTY_BUFFER;
        }
        ByteBuf keys = ctx.alloc().buffer();
        TextCodec.encode(reply.keys(), keys);
        return keys;
    }

    private void failed(LoginStatus status) {
        server.config().metrics().loginFailed(status);
        if (state.current() != ConnectionState.FREE) {
            state.on(ConnectionState.Event.LOGIN_FAILED);
        }
    }

    private void loginTimedOut() {
        ConnectionState current = state.current();
        if (current == ConnectionState.XPT_UP || current == ConnectionState.IN_LOGIN) {
            LOG.info("{}: login did not complete within {}", ctx.channel().remoteAddress(), server.config().loginTimeout());
            server.config().metrics().loginFailed(null);
            state.on(ConnectionState.Event.LOGIN_TIMEOUT);
            ctx.close();
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext context, Object event) {
        if (event instanceof IdleStateEvent) {
            if (session != null) {
                session.onIdle();
            }
        } else if (event instanceof ShutdownEvent shutdown) {
            if (session != null && state.current() == ConnectionState.LOGGED_IN) {
                session.requestLogout(shutdown.grace());
            } else {
                context.close();
            }
        } else {
            context.fireUserEventTriggered(event);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext context) {
        if (loginTimer != null) {
            loginTimer.cancel(false);
        }
        if (session != null) {
            session.close();
        }
        if (registered) {
            server.sessions().unregister(tsih, this);
        }
        if (state != null) {
            state.close(ConnectionState.Event.TRANSPORT_CLOSED);
        }
        login = null;
        terminated.complete(null);
        context.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext context, Throwable cause) {
        LOG.warn("{}: closing the connection after an unexpected error", context.channel().remoteAddress(), cause);
        context.close();
    }

    @Override
    public CompletionStage<Void> terminate() {
        hop(() -> ctx.close());
        return terminated;
    }

    @Override
    public String initiatorAddress() {
        return hostPort(ctx.channel().remoteAddress());
    }

    @Override
    public String portalAddress() {
        return hostPort(ctx.channel().localAddress());
    }

    private static String hostPort(java.net.SocketAddress address) {
        if (address instanceof java.net.InetSocketAddress inet) {
            String host = inet.getAddress() == null ? inet.getHostString() : inet.getAddress().getHostAddress();
            return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + inet.getPort();
        }
        return String.valueOf(address);
    }

    @Override
    public void requestLogout(Duration grace) {
        hop(() -> {
            if (session != null) {
                session.requestLogout(grace);
            } else {
                ctx.close();
            }
        });
    }

    private void hop(Runnable action) {
        try {
            ctx.executor().execute(action);
        } catch (RejectedExecutionException e) {
            LOG.debug("event loop gone", e);
            terminated.complete(null);
        }
    }
}
