package dev.quarry.iscsi.initiator;

import dev.quarry.iscsi.pdu.DataInPdu;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * Reassembles the Data-In of one read (RFC 7143 §11.7) into one pooled direct buffer of the
 * Expected Data Transfer Length, allocated on the first PDU: DataSN must count from 0 without a
 * gap and, as DataPDUInOrder=Yes and DataSequenceInOrder=Yes were negotiated, every segment must
 * start where the previous one ended and stay within the expected length. One copy from the
 * received frame into this buffer frees the frame at once and gives the caller contiguous data.
 *
 * <p>Owns its buffer until {@link #take} hands it over or {@link #release()} frees it. Not
 * thread-safe; confined to the connection's event loop.
 */
final class DataInCollector {

    private final int expectedLength;
    private ByteBuf buffer;
    private int received;
    private int nextDataSn;

    DataInCollector(int expectedLength) {
        this.expectedLength = expectedLength;
    }

    /**
     * Copies the segment of {@code pdu} (borrowed) into place.
     *
     * @throws TargetProtocolException on a DataSN or offset out of sequence, or data beyond the
     *     expected length
     */
    void accept(DataInPdu pdu, ByteBufAllocator alloc) {
        if (pdu.dataSn() != nextDataSn) {
            throw new TargetProtocolException("Data-In DataSN " + Integer.toUnsignedString(pdu.dataSn()) + ", expected "
                    + nextDataSn);
        }
        nextDataSn++;
        ByteBuf segment = pdu.data();
        int length = segment.readableBytes();
        long offset = Integer.toUnsignedLong(pdu.bufferOffset());
        if (offset != received || offset + length > expectedLength) {
            throw new TargetProtocolException("Data-In at offset " + offset + " length " + length + " with " + received
                    + " of " + expectedLength + " bytes received");
        }
        if (length == 0) {
            return;
        }
        if (buffer == null) {
            buffer = alloc.directBuffer(expectedLength, expectedLength);
        }
        buffer.writeBytes(segment, segment.readerIndex(), length);
        received += length;
    }

    /** Bytes received so far. */
    int received() {
        return received;
    }

    /** Hands over the data received (an empty buffer when none came); the caller owns it. */
    ByteBuf take(ByteBufAllocator alloc) {
        ByteBuf out = buffer == null ? alloc.directBuffer(0) : buffer;
        buffer = null;
        return out;
    }

    /** Frees what was collected (the task ended without passing it on). Idempotent. */
    void release() {
        if (buffer != null) {
            buffer.release();
            buffer = null;
        }
    }
}
