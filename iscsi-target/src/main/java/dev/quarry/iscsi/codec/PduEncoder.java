package dev.quarry.iscsi.codec;

import dev.quarry.iscsi.pdu.Bhs;
import dev.quarry.iscsi.pdu.DataPdu;
import dev.quarry.iscsi.pdu.TargetPdu;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToMessageEncoder;
import java.util.List;

/**
 * Writes a {@link TargetPdu}: the 48-byte BHS (plus header digest) into an exactly-sized pooled
 * buffer, then the data segment itself, retained and not copied, then padding and data digest in a
 * small trailer. Releases its input (Netty's {@code MessageToMessageEncoder} contract).
 *
 * <p>Not thread-safe; confined to the channel event loop. Not sharable (digest state per
 * connection).
 */
public final class PduEncoder extends MessageToMessageEncoder<TargetPdu> {

    private final DigestSettings digests;

    public PduEncoder(DigestSettings digests) {
        super(TargetPdu.class);
        this.digests = digests;
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, TargetPdu pdu, List<Object> out) {
        ByteBuf data = pdu instanceof DataPdu d ? d.data() : null;
        DataSegments.length(data);
        ByteBuf header = ctx.alloc().ioBuffer(Bhs.LENGTH + digests.headerDigestLength());
        TargetPduLayout.write(pdu, header);
        DataSegments.headerDigest(header, digests);
        out.add(header);
        DataSegments.append(ctx, data, digests, out);
    }
}
