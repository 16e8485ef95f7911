package dev.quarry.iscsi.codec;

import dev.quarry.iscsi.pdu.Bhs;
import dev.quarry.iscsi.pdu.InitiatorPdu;
import dev.quarry.iscsi.pdu.IscsiProtocolException;
import dev.quarry.iscsi.pdu.Opcode;
import dev.quarry.iscsi.pdu.RejectReason;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToMessageDecoder;
import java.util.List;

/**
 * Turns a frame from {@link IscsiFrameDecoder} into a typed {@link InitiatorPdu}: checks the
 * CRC32C header and data digests when in force, looks up the opcode and reads the header through
 * {@link InitiatorPduLayout}. The PDU holds a retained slice of the frame as its data segment
 * (no copy).
 *
 * <p>Errors become {@link PduDecodeError}s: an unknown opcode or a malformed header is answered by
 * a Reject with the frame boundary intact; a header digest error means framing is lost, so the
 * decoder switches to a bad-PDU state that drops every later frame while the channel closes.
 *
 * <p>Not thread-safe; confined to the channel event loop. Not sharable (digest state per
 * connection).
 */
public final class PduDecoder extends MessageToMessageDecoder<ByteBuf> {

    private final DigestSettings digests;
    private boolean badPdu;

    public PduDecoder(DigestSettings digests) {
        super(ByteBuf.class);
        this.digests = digests;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf frame, List<Object> out) {
        if (badPdu) {
            return;
        }
        int base = frame.readerIndex();
        int ahsLength = frame.getUnsignedByte(base + Bhs.TOTAL_AHS_LENGTH_OFFSET) * 4;
        int dataSegmentLength = frame.getUnsignedMedium(base + Bhs.DATA_SEGMENT_LENGTH_OFFSET);
        int headerEnd = Bhs.LENGTH + ahsLength;
        byte[] bhs = new byte[Bhs.LENGTH];
        frame.getBytes(base, bhs);
        if (digests.headerDigest() && Crc32c.of(frame, base, headerEnd) != frame.getIntLE(base + headerEnd)) {
            badPdu = true;
            out.add(PduDecodeError.framingLost(bhs, "header digest mismatch"));
            return;
        }
        int dataOffset = base + headerEnd + digests.headerDigestLength();
        int padded = Bhs.padded(dataSegmentLength);
        boolean dataCorrupt = digests.dataDigest() && dataSegmentLength > 0
                && Crc32c.of(frame, dataOffset, padded) != frame.getIntLE(dataOffset + padded);
        Opcode opcode;
        try {
            opcode = Opcode.of(bhs[Bhs.OPCODE_OFFSET]);
        } catch (IscsiProtocolException e) {
            out.add(PduDecodeError.reject(e.reason(), bhs, e.getMessage()));
            return;
        }
        if (!opcode.fromInitiator()) {
            out.add(PduDecodeError.reject(RejectReason.COMMAND_NOT_SUPPORTED, bhs, "target opcode " + opcode + " from initiator"));
            return;
        }
        ByteBuf data = dataCorrupt ? Unpooled.EMPTY_BUFFER : frame.retainedSlice(dataOffset, dataSegmentLength);
        InitiatorPdu pdu;
        try {
            pdu = InitiatorPduLayout.read(opcode, frame.slice(base, headerEnd), ahsLength, data);
        } catch (IscsiProtocolException e) {
            out.add(PduDecodeError.reject(e.reason(), bhs, e.getMessage()));
            return;
        }
        out.add(dataCorrupt ? PduDecodeError.dataDigest(bhs, pdu, dataSegmentLength) : pdu);
    }
}
