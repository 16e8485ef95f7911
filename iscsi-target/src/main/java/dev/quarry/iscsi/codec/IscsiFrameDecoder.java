package dev.quarry.iscsi.codec;

import dev.quarry.iscsi.pdu.Bhs;
import dev.quarry.iscsi.pdu.RejectReason;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;

/**
 * Cuts the TCP byte stream into whole iSCSI PDUs (RFC 7143 §11.2: BHS, AHS, header digest, data
 * segment, padding, data digest) and emits each as a retained slice. It peeks at the BHS without
 * consuming, checks the DataSegmentLength against the receive limit before anything is buffered
 * (8192 bytes during login, then our declared MaxRecvDataSegmentLength), and only then waits for
 * the frame. {@code LengthFieldBasedFrameDecoder} cannot express this length (two fields,
 * padding, negotiated digests), so this is the one custom frame decoder.
 *
 * <p>A frame above the limit makes the stream unusable: the decoder emits a
 * {@link PduDecodeError} and discards all further input until the channel closes.
 *
 * <p>Not thread-safe; confined to the channel event loop.
 */
public final class IscsiFrameDecoder extends ByteToMessageDecoder {

    /** MaxRecvDataSegmentLength in force during login (RFC 7143 §13.12). */
    public static final int LOGIN_MAX_DATA_SEGMENT_LENGTH = 8192;

    private final DigestSettings digests;
    private int maxDataSegmentLength;
    private boolean discarding;

    public IscsiFrameDecoder(DigestSettings digests, int maxDataSegmentLength) {
        this.digests = digests;
        maxDataSegmentLength(maxDataSegmentLength);
    }

    /** Changes the receive limit; call on the event loop at the full feature transition. */
    public void maxDataSegmentLength(int limit) {
        if (limit < 1 || limit > Bhs.MAX_DATA_SEGMENT_LENGTH) {
            throw new IllegalArgumentException("maxDataSegmentLength out of range: " + limit);
        }
        this.maxDataSegmentLength = limit;
    }

    public int maxDataSegmentLength() {
        return maxDataSegmentLength;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (discarding) {
            in.skipBytes(in.readableBytes());
            return;
        }
        if (in.readableBytes() < Bhs.LENGTH) {
            return;
        }
        int start = in.readerIndex();
        int ahsLength = in.getUnsignedByte(start + Bhs.TOTAL_AHS_LENGTH_OFFSET) * 4;
        int dataSegmentLength = in.getUnsignedMedium(start + Bhs.DATA_SEGMENT_LENGTH_OFFSET);
        if (dataSegmentLength > maxDataSegmentLength) {
            byte[] header = new byte[Bhs.LENGTH];
            in.getBytes(start, header);
            discarding = true;
            in.skipBytes(in.readableBytes());
            out.add(PduDecodeError.rejectAndClose(RejectReason.PROTOCOL_ERROR, header,
                    "DataSegmentLength " + dataSegmentLength + " exceeds MaxRecvDataSegmentLength " + maxDataSegmentLength));
            return;
        }
        int frameLength = Bhs.LENGTH + ahsLength + digests.headerDigestLength() + Bhs.padded(dataSegmentLength)
                + digests.dataDigestLength(dataSegmentLength);
        if (in.readableBytes() < frameLength) {
            return;
        }
        out.add(in.readRetainedSlice(frameLength));
    }
}
