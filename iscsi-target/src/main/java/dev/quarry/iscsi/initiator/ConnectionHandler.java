package dev.quarry.iscsi.initiator;

import dev.quarry.iscsi.codec.CodecControl;
import dev.quarry.iscsi.codec.PduDecodeError;
import dev.quarry.iscsi.login.LoginConversation;
import dev.quarry.iscsi.login.OperationalParameters;
import dev.quarry.iscsi.login.TextCodec;
import dev.quarry.iscsi.pdu.LoginRequestPdu;
import dev.quarry.iscsi.pdu.LoginResponsePdu;
import dev.quarry.iscsi.pdu.TargetPdu;
import dev.quarry.iscsi.scsi.Lun;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.io.IOException;
import java.util.concurrent.TimeUnit;

/**
 * The last handler of an initiator connection: drives the login ({@link LoginNegotiator}) from
 * the moment the TCP connection is up, switches the codec to the negotiated digests and receive
 * limit at the full feature transition, then hands every PDU to the {@link Connection} and tells
 * the {@link Session} when a batch of reads ends (so that it sends and flushes once), when the
 * socket becomes writable again, and when the connection is gone.
 *
 * <p>Not thread-safe; confined to the channel's event loop. One instance per connection.
 */
final class ConnectionHandler extends ChannelInboundHandlerAdapter {

    private final Session session;
    private final LoginNegotiator login;
    private final CodecControl codec;
    private final int loginTag;
    private final int initialCmdSn;
    private int loginExpStatSn;
    private Connection connection;
    private ScheduledFuture<?> loginTimer;
    private String closeReason = "the target closed the connection";
    private Throwable closeCause;

    ConnectionHandler(Session session, LoginNegotiator login, CodecControl codec, int loginTag, int initialCmdSn) {
        this.session = session;
        this.login = login;
        this.codec = codec;
        this.loginTag = loginTag;
        this.initialCmdSn = initialCmdSn;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        long timeout = session.config().loginTimeout().toNanos();
        loginTimer = ctx.executor().schedule(() -> fail(ctx, "the login did not finish within "
                + timeout / 1_000_000 + " ms", null), timeout, TimeUnit.NANOSECONDS);
        send(ctx, login.start());
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof PduDecodeError error) {
            fail(ctx, "unusable PDU from the target: " + error.detail(), null);
            return;
        }
        if (connection != null) {
            try {
                connection.onPdu((TargetPdu) msg);
            } catch (TargetProtocolException e) {
                fail(ctx, e.getMessage(), null);
            }
            return;
        }
        try {
            if (!(msg instanceof LoginResponsePdu response)) {
                fail(ctx, "the target sent " + msg.getClass().getSimpleName() + " during login", null);
                return;
            }
            loginExpStatSn = response.statSn() + 1;
            switch (login.onResponse(response)) {
                case LoginNegotiator.Request request -> send(ctx, request);
                case LoginNegotiator.Result result -> establish(ctx, response, result.parameters());
            }
        } catch (LoginRefusedException e) {
            closeReason = e.getMessage();
            closeCause = e;
            ctx.close();
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (connection != null) {
            session.pump();
        }
        ctx.fireChannelReadComplete();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (connection != null && ctx.channel().isWritable()) {
            session.pump();
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (loginTimer != null) {
            loginTimer.cancel(false);
        }
        if (connection != null) {
            String reason = connection.closeReason() != null ? connection.closeReason() : closeReason;
            session.connectionLost(connection, reason, closeCause);
        } else {
            session.loginFailed(ctx.channel(), closeCause != null ? closeCause : new IOException(closeReason));
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        fail(ctx, "connection error: " + cause, cause);
    }

    /** Closes the connection, remembering why for the session. */
    void fail(ChannelHandlerContext ctx, String reason, Throwable cause) {
        if (ctx.channel().isActive()) {
            closeReason = reason;
            closeCause = cause;
        }
        ctx.close();
    }

    private void establish(ChannelHandlerContext ctx, LoginResponsePdu response, OperationalParameters parameters) {
        loginTimer.cancel(false);
        codec.enterFullFeaturePhase(parameters.headerDigest(), parameters.dataDigest(),
                parameters.initiatorMaxRecvDataSegmentLength());
        CmdSnWindow window = new CmdSnWindow(initialCmdSn, response.expCmdSn(), response.maxCmdSn());
        connection = new Connection(ctx.channel(), parameters, window, response.statSn() + 1,
                Lun.encode(session.target().lun()), session::nextTag, session.events(), session.target().describe());
        session.loggedIn(connection, response.tsih());
    }

    private void send(ChannelHandlerContext ctx, LoginNegotiator.Request request) {
        if (TextCodec.encodedLength(request.keys()) > LoginConversation.MAX_LOGIN_DATA_SEGMENT_LENGTH) {
            fail(ctx, "our login text exceeds " + LoginConversation.MAX_LOGIN_DATA_SEGMENT_LENGTH + " bytes", null);
            return;
        }
        ByteBuf text = ctx.alloc().buffer(TextCodec.encodedLength(request.keys()));
        TextCodec.encode(request.keys(), text);
        ctx.writeAndFlush(new LoginRequestPdu(request.transit(), false, request.currentStage(), request.nextStage(),
                LoginConversation.VERSION, LoginConversation.VERSION, session.isid(), 0, loginTag, 0, initialCmdSn,
                loginExpStatSn, text));
    }
}
