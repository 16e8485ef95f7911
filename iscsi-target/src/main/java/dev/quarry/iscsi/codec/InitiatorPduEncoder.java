package dev.quarry.iscsi.codec;

import dev.quarry.iscsi.pdu.DataPdu;
import dev.quarry.iscsi.pdu.InitiatorPdu;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToMessageEncoder;
import java.util.List;

/**
 * The initiator side's encoder: writes an {@link InitiatorPdu} as its BHS and AHS (plus header
 * digest) in an exactly-sized pooled buffer, then the data segment itself (immediate data and
 * Data-Out payloads are slices of the caller's buffer, retained and not copied), then padding and
 * data digest. Releases its input (Netty's {@code MessageToMessageEncoder} contract).
 *
 * <p>Not thread-safe; confined to the channel event loop. Not sharable (digest state per
 * connection).
 */
public final class InitiatorPduEncoder extends MessageToMessageEncoder<InitiatorPdu> {

    private final DigestSettings digests;

    public InitiatorPduEncoder(DigestSettings digests) {
        super(InitiatorPdu.class);
        this.digests = digests;
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, InitiatorPdu pdu, List<Object> out) {
        ByteBuf data = pdu instanceof DataPdu d ? d.data() : null;
        DataSegments.length(data);
        ByteBuf header = ctx.alloc().ioBuffer(InitiatorPduLayout.headerLength(pdu) + digests.headerDigestLength());
        InitiatorPduLayout.write(pdu, header);
        DataSegments.headerDigest(header, digests);
        out.add(header);
        DataSegments.append(ctx, data, digests, out);
    }
}
