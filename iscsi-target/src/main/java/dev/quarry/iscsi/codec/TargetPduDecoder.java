package dev.quarry.iscsi.codec;

import dev.quarry.iscsi.pdu.Bhs;
import dev.quarry.iscsi.pdu.IscsiProtocolException;
import dev.quarry.iscsi.pdu.Opcode;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToMessageDecoder;
import java.util.List;

/**
 * The initiator side's decoder: turns a frame from {@link IscsiFrameDecoder} into a typed
 * {@link dev.quarry.iscsi.pdu.TargetPdu}, checking the CRC32C header and data digests when in
 * force. The PDU holds a retained slice of the frame as its data segment (no copy). Target PDUs
 * carry no AHS (RFC 7143 §11); one that does has it skipped.
 *
 * <p>An initiator cannot answer a bad PDU with a Reject, and at ErrorRecoveryLevel 0 a digest
 * error ends the connection (RFC 7143 §7.8), so every error — digest mismatch, unknown or
 * initiator opcode — is emitted as a {@link PduDecodeError} that closes the connection, and the
 * decoder drops every later frame.
 *
 * <p>Not thread-safe; confined to the channel event loop. Not sharable (digest state per
 * connection).
 */
public final class TargetPduDecoder extends MessageToMessageDecoder<ByteBuf> {

    private final DigestSettings digests;
    private boolean badPdu;

    public TargetPduDecoder(DigestSettings digests) {
        super(ByteBuf.class);
        this.digests = digests;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf frame, List<Object> out) {
        if (badPdu) {
            return;
        }
        int base = frame.readerIndex();
        int headerEnd = Bhs.LENGTH + frame.getUnsignedByte(base + Bhs.TOTAL_AHS_LENGTH_OFFSET) * 4;
        int dataSegmentLength = frame.getUnsignedMedium(base + Bhs.DATA_SEGMENT_LENGTH_OFFSET);
        byte[] bhs = new byte[Bhs.LENGTH];
        frame.getBytes(base, bhs);
        if (digests.headerDigest() && Crc32c.of(frame, base, headerEnd) != frame.getIntLE(base + headerEnd)) {
            fail(out, bhs, "header digest mismatch");
            return;
        }
        int dataOffset = base + headerEnd + digests.headerDigestLength();
        int padded = Bhs.padded(dataSegmentLength);
        if (digests.dataDigest() && dataSegmentLength > 0
                && Crc32c.of(frame, dataOffset, padded) != frame.getIntLE(dataOffset + padded)) {
            fail(out, bhs, "data digest mismatch");
            return;
        }
        Opcode opcode;
        try {
            opcode = Opcode.of(bhs[Bhs.OPCODE_OFFSET]);
        } catch (IscsiProtocolException e) {
            fail(out, bhs, e.getMessage());
            return;
        }
        if (opcode.fromInitiator()) {
            fail(out, bhs, "initiator opcode " + opcode + " from the target");
            return;
        }
        out.add(TargetPduLayout.read(opcode, frame.slice(base, Bhs.LENGTH), frame.retainedSlice(dataOffset, dataSegmentLength)));
    }

    private void fail(List<Object> out, byte[] bhs, String detail) {
        badPdu = true;
        out.add(PduDecodeError.framingLost(bhs, detail));
    }
}
