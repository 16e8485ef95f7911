package dev.quarry.iscsi.codec;

import dev.quarry.iscsi.pdu.Bhs;
import dev.quarry.iscsi.pdu.DataPdu;
import dev.quarry.iscsi.pdu.TargetPdu;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.EncoderException;
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
        int dataSegmentLength = data == null ? 0 : data.readableBytes();
        if (dataSegmentLength > Bhs.MAX_DATA_SEGMENT_LENGTH) {
            throw new EncoderException("data segment of " + dataSegmentLength + " bytes does not fit 24 bits");
        }
        ByteBuf header = ctx.alloc().ioBuffer(Bhs.LENGTH + digests.headerDigestLength());
        TargetPduLayout.write(pdu, header);
        if (digests.headerDigest()) {
            header.writeIntLE(Crc32c.of(header, header.readerIndex(), Bhs.LENGTH));
        }
        out.add(header);
        if (dataSegmentLength == 0) {
            return;
        }
        out.add(data.retain());
        int padding = Bhs.padded(dataSegmentLength) - dataSegmentLength;
        int trailerLength = padding + digests.dataDigestLength(dataSegmentLength);
        if (trailerLength > 0) {
            ByteBuf trailer = ctx.alloc().ioBuffer(trailerLength);
            trailer.writeZero(padding);
            if (digests.dataDigest()) {
                trailer.writeIntLE(Crc32c.ofPadded(data, data.readerIndex(), dataSegmentLength, padding));
            }
            out.add(trailer);
        }
    }
}
