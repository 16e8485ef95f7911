package dev.quarry.iscsi.session;

import dev.quarry.iscsi.login.OperationalParameters;
import dev.quarry.iscsi.pdu.Bhs;
import dev.quarry.iscsi.pdu.DataOutPdu;
import dev.quarry.iscsi.pdu.RejectReason;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntSupplier;

/**
 * Collects the Data-Out of one write task (RFC 7143 §4.2.2.5, §11.7, §11.8): immediate data,
 * the unsolicited sequence, then R2T-solicited sequences of at most MaxBurstLength, up to
 * MaxOutstandingR2T at once. The payloads are kept as retained slices in one
 * {@link CompositeByteBuf} (no copy), which becomes the command's Data-Out.
 *
 * <p>With DataPDUInOrder=Yes and DataSequenceInOrder=Yes the data must arrive at strictly
 * increasing offsets without gaps; every check uses 64-bit arithmetic. A violation ends the task:
 * the collector records the sense to answer with, and from then on only absorbs (and releases)
 * PDUs until the initiator has closed every sequence it had open (F bit), as RFC 7143 §11.17.1
 * asks before the target answers.
 *
 * <p>Not thread-safe; confined to the channel event loop.
 */
final class DataOutCollector {

    /** One R2T-solicited sequence. */
    private static final class Sequence {
        final int targetTransferTag;
        final long end;
        int nextDataSn;

        Sequence(int targetTransferTag, long end) {
            this.targetTransferTag = targetTransferTag;
            this.end = end;
        }
    }

    /** An R2T to send. */
    record R2tRequest(int targetTransferTag, int r2tSn, int bufferOffset, int desiredDataTransferLength) {
    }

    private static final int MAX_COMPONENTS = 1024;

    private final long expectedLength;
    private final long unsolicitedLimit;
    private final boolean unsolicitedDataOutAllowed;
    private final int maxBurstLength;
    private final int maxOutstandingR2t;
    private final CompositeByteBuf buffer;
    private final ArrayDeque<Sequence> solicited = new ArrayDeque<>();
    private long received;
    private boolean unsolicitedOpen;
    private int unsolicitedDataSn;
    private long nextR2tOffset = -1;
    private int r2tCount;
    private TransportSense failure;
    private boolean taken;

    /**
     * @param expectedLength the EDTL
     * @param unsolicitedFollows the SCSI Command's F bit was 0: an unsolicited Data-Out sequence follows
     */
    DataOutCollector(long expectedLength, boolean unsolicitedFollows, OperationalParameters parameters,
                     ByteBufAllocator alloc) {
        this.expectedLength = expectedLength;
        this.unsolicitedLimit = Math.min(parameters.effectiveFirstBurstLength(), expectedLength);
        this.unsolicitedDataOutAllowed = !parameters.initialR2t();
        this.maxBurstLength = parameters.maxBurstLength();
        this.maxOutstandingR2t = parameters.maxOutstandingR2t();
        this.unsolicitedOpen = unsolicitedFollows;
        this.buffer = alloc.compositeBuffer(MAX_COMPONENTS);
    }

    /** Takes ownership of the command's immediate data. */
    void immediateData(ByteBuf data, boolean allowed) {
        if (!data.isReadable()) {
            data.release();
            return;
        }
        if (!allowed) {
            data.release();
            fail(TransportSense.UNEXPECTED_UNSOLICITED_DATA);
        } else if (data.readableBytes() > unsolicitedLimit) {
            data.release();
            fail(TransportSense.INCORRECT_UNSOLICITED_DATA);
        } else {
            append(data);
        }
    }

    /**
     * Takes the payload of {@code pdu} (borrowed: its data is retained when kept).
     *
     * @return the Reject reason to answer this PDU with, or {@code null}
     */
    RejectReason dataOut(DataOutPdu pdu) {
        if (pdu.targetTransferTag() == Bhs.RESERVED_TAG) {
            return unsolicited(pdu);
        }
        Sequence sequence = find(pdu.targetTransferTag());
        if (sequence == null) {
            fail(TransportSense.INVALID_TRANSFER_TAG);
            return RejectReason.INVALID_PDU_FIELD;
        }
        return solicited(sequence, pdu);
    }

    /** A Data-Out whose data digest failed (RFC 7143 §7.8): end the task, keep the sequence bookkeeping. */
    void corruptDataOut(int targetTransferTag, boolean finalPdu) {
        fail(TransportSense.PROTOCOL_SERVICE_CRC_ERROR);
        if (targetTransferTag == Bhs.RESERVED_TAG) {
            unsolicitedOpen &= !finalPdu;
        } else {
            Sequence sequence = find(targetTransferTag);
            if (sequence != null && finalPdu) {
                solicited.remove(sequence);
            }
        }
    }

    /** Ends the task with {@code sense} (first failure wins); no more R2Ts are issued. */
    void fail(TransportSense sense) {
        if (failure == null) {
            failure = sense;
        }
    }

    private RejectReason unsolicited(DataOutPdu pdu) {
        if (!unsolicitedOpen) {
            if (!unsolicitedDataOutAllowed) {
                fail(TransportSense.UNEXPECTED_UNSOLICITED_DATA);
                return null;
            }
            fail(TransportSense.DATA_PHASE_ERROR);
            return RejectReason.PROTOCOL_ERROR;
        }
        if (pdu.finalPdu()) {
            unsolicitedOpen = false;
        }
        if (failure != null) {
            return null;
        }
        if (!unsolicitedDataOutAllowed) {
            fail(TransportSense.UNEXPECTED_UNSOLICITED_DATA);
            return null;
        }
        if (pdu.dataSn() != unsolicitedDataSn++) {
            fail(TransportSense.DATA_PHASE_ERROR);
            return RejectReason.PROTOCOL_ERROR;
        }
        if (pdu.bufferOffsetUnsigned() != received) {
            fail(TransportSense.DATA_PHASE_ERROR);
            return RejectReason.INVALID_PDU_FIELD;
        }
        if (received + pdu.data().readableBytes() > unsolicitedLimit) {
            fail(TransportSense.INCORRECT_UNSOLICITED_DATA);
            return null;
        }
        append(pdu.data().retainedSlice());
        return null;
    }

    private RejectReason solicited(Sequence sequence, DataOutPdu pdu) {
        if (failure != null) {
            if (pdu.finalPdu()) {
                solicited.remove(sequence);
            }
            return null;
        }
        long end = pdu.bufferOffsetUnsigned() + pdu.data().readableBytes();
        RejectReason reject = null;
        if (pdu.dataSn() != sequence.nextDataSn++) {
            fail(TransportSense.DATA_PHASE_ERROR);
            reject = RejectReason.PROTOCOL_ERROR;
        } else if (pdu.bufferOffsetUnsigned() != received) {
            fail(TransportSense.DATA_PHASE_ERROR);
            reject = RejectReason.INVALID_PDU_FIELD;
        } else if (end > sequence.end) {
            fail(TransportSense.TOO_MUCH_WRITE_DATA);
            reject = RejectReason.INVALID_PDU_FIELD;
        } else {
            append(pdu.data().retainedSlice());
            if (received == sequence.end) {
                solicited.remove(sequence);
                return null;
            }
            if (pdu.finalPdu()) {
                fail(TransportSense.DATA_PHASE_ERROR);
                reject = RejectReason.PROTOCOL_ERROR;
            }
        }
        if (pdu.finalPdu()) {
            solicited.remove(sequence);
        }
        return reject;
    }

    /**
     * The R2Ts to send now: none while the unsolicited sequence is open or after a failure, else
     * enough to keep MaxOutstandingR2T sequences in flight until the EDTL is covered.
     */
    List<R2tRequest> nextR2ts(IntSupplier targetTransferTags) {
        List<R2tRequest> requests = new ArrayList<>();
        if (failure != null || unsolicitedOpen) {
            return requests;
        }
        if (nextR2tOffset < 0) {
            nextR2tOffset = received;
        }
        while (solicited.size() < maxOutstandingR2t && nextR2tOffset < expectedLength) {
            int length = (int) Math.min(maxBurstLength, expectedLength - nextR2tOffset);
            int tag = targetTransferTags.getAsInt();
            solicited.add(new Sequence(tag, nextR2tOffset + length));
            requests.add(new R2tRequest(tag, r2tCount++, (int) nextR2tOffset, length));
            nextR2tOffset += length;
        }
        return requests;
    }

    /** All the data arrived without error. */
    boolean complete() {
        return failure == null && received == expectedLength;
    }

    /** No more Data-Out is expected: complete, or failed with every open sequence closed. */
    boolean settled() {
        return complete() || failure != null && !unsolicitedOpen && solicited.isEmpty();
    }

    TransportSense failure() {
        return failure;
    }

    /** R2Ts sent so far, for the response's ExpDataSN. */
    int r2tCount() {
        return r2tCount;
    }

    /** Hands the collected data over (ownership moves to the caller). */
    ByteBuf take() {
        taken = true;
        return buffer;
    }

    /** Releases what was collected, unless it was handed over. Idempotent. */
    void release() {
        if (!taken) {
            taken = true;
            buffer.release();
        }
    }

    private Sequence find(int targetTransferTag) {
        for (Sequence sequence : solicited) {
            if (sequence.targetTransferTag == targetTransferTag) {
                return sequence;
            }
        }
        return null;
    }

    /** Takes ownership of {@code data}. */
    private void append(ByteBuf data) {
        received += data.readableBytes();
        buffer.addComponent(true, data);
    }
}
