package dev.quarry.iscsi.codec;

import dev.quarry.iscsi.pdu.Bhs;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.EncoderException;
import java.util.List;

/**
 * The part of PDU encoding both directions share (RFC 7143 §11.2): the header digest after a
 * BHS, and a data segment written as itself (retained, never copied) followed by a small trailer
 * of padding and data digest.
 *
 * <p>Stateless and thread-safe.
 */
final class DataSegments {

    private DataSegments() {
    }

    /** The DataSegmentLength of {@code data} (borrowed), checked against the 24-bit field. */
    static int length(ByteBuf data) {
        int length = data == null ? 0 : data.readableBytes();
        if (length > Bhs.MAX_DATA_SEGMENT_LENGTH) {
            throw new EncoderException("data segment of " + length + " bytes does not fit 24 bits");
        }
        return length;
    }

    /** Appends the header digest of the header in {@code header} (its readable bytes) when in force. */
    static void headerDigest(ByteBuf header, DigestSettings digests) {
        if (digests.headerDigest()) {
            header.writeIntLE(Crc32c.of(header, header.readerIndex(), header.readableBytes()));
        }
    }

    /**
     * Adds {@code data} (borrowed; retained for {@code out}), its padding and its data digest to
     * {@code out}; nothing when the segment is empty.
     */
    static void append(ChannelHandlerContext ctx, ByteBuf data, DigestSettings digests, List<Object> out) {
        int length = data == null ? 0 : data.readableBytes();
        if (length == 0) {
            return;
        }
        out.add(data.retain());
        int padding = Bhs.padded(length) - length;
        int trailerLength = padding + digests.dataDigestLength(length);
        if (trailerLength > 0) {
            ByteBuf trailer = ctx.alloc().ioBuffer(trailerLength);
            trailer.writeZero(padding);
            if (digests.dataDigest()) {
                trailer.writeIntLE(Crc32c.ofPadded(data, data.readerIndex(), length, padding));
            }
            out.add(trailer);
        }
    }
}
