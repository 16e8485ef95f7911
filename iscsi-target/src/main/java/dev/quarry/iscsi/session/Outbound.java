package dev.quarry.iscsi.session;

import dev.quarry.iscsi.codec.InitiatorPduLayout;
import dev.quarry.iscsi.pdu.InitiatorPdu;
import dev.quarry.iscsi.pdu.RejectPdu;
import dev.quarry.iscsi.pdu.RejectReason;
import dev.quarry.iscsi.pdu.TargetPdu;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.util.concurrent.EventExecutor;

/**
 * The outbound side of one connection: writes target PDUs (ownership passes to the pipeline),
 * flushes, and sends Rejects carrying the offending header.
 *
 * <p>Not thread-safe; confined to the channel event loop.
 */
public final class Outbound {

    private final ChannelHandlerContext ctx;
    private final SequenceNumbers numbers;

    public Outbound(ChannelHandlerContext ctx, SequenceNumbers numbers) {
        this.ctx = ctx;
        this.numbers = numbers;
    }

    /** Writes {@code pdu} without flushing; takes ownership. */
    public void write(TargetPdu pdu) {
        ctx.write(pdu, ctx.voidPromise());
    }

    public void flush() {
        ctx.flush();
    }

    public ByteBufAllocator alloc() {
        return ctx.alloc();
    }

    public EventExecutor executor() {
        return ctx.executor();
    }

    public SequenceNumbers numbers() {
        return numbers;
    }

    /** Flushes what was written, then closes the connection. */
    public void closeAfterFlush() {
        ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
    }

    /** Sends a Reject (RFC 7143 §11.17) whose data is {@code header}, and flushes. */
    public void reject(RejectReason reason, byte[] header) {
        write(new RejectPdu(reason.code(), numbers.takeStatSn(), numbers.expCmdSn(), numbers.maxCmdSn(), 0,
                Unpooled.wrappedBuffer(header)));
        flush();
    }

    /** Sends a Reject whose data is the header of {@code pdu} (borrowed), as the target decoded it. */
    public void reject(RejectReason reason, InitiatorPdu pdu) {
        reject(reason, header(pdu));
    }

    /** The header (BHS and AHS) of {@code pdu} (borrowed), re-encoded for a Reject. */
    public static byte[] header(InitiatorPdu pdu) {
        ByteBuf header = Unpooled.buffer(InitiatorPduLayout.headerLength(pdu));
        try {
            InitiatorPduLayout.write(pdu, header);
            byte[] bytes = new byte[header.readableBytes()];
            header.getBytes(0, bytes);
            return bytes;
        } finally {
            header.release();
        }
    }
}
