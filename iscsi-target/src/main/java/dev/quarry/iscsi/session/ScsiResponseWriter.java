package dev.quarry.iscsi.session;

import dev.quarry.iscsi.pdu.Bhs;
import dev.quarry.iscsi.pdu.DataInPdu;
import dev.quarry.iscsi.pdu.ScsiResponsePdu;
import dev.quarry.iscsi.scsi.ScsiResponse;
import dev.quarry.iscsi.scsi.ScsiStatus;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/**
 * Answers a SCSI task (RFC 7143 §11.4, §11.7): Data-In cut to the initiator's
 * MaxRecvDataSegmentLength within sequences of at most MaxBurstLength, the status carried by the
 * last Data-In when it is GOOD without sense (S bit), otherwise a SCSI Response with the sense
 * behind its 2-byte SenseLength. Residuals compare the SCSI layer's transfer length with the EDTL:
 * the Data-In produced for reads, {@link ScsiResponse#dataOutLength()} for writes.
 *
 * <p>Data-In PDUs hold retained slices of the SCSI layer's buffer: no copy.
 *
 * <p>Not thread-safe; confined to the channel event loop.
 */
final class ScsiResponseWriter {

    /** Overflow or underflow of a task (RFC 7143 §11.4.5). */
    record Residual(boolean overflow, boolean underflow, int count) {
        static Residual of(long transferLength, long expectedDataTransferLength) {
            long difference = transferLength - expectedDataTransferLength;
            int count = (int) Math.min(Math.abs(difference), 0xFFFF_FFFFL);
            return new Residual(difference > 0, difference < 0, count);
        }
    }

    private final SessionContext session;

    ScsiResponseWriter(SessionContext session) {
        this.session = session;
    }

    /** Writes the answer to {@code task}; takes ownership of {@code response.dataIn()}. The caller flushes. */
    void send(ScsiTask task, ScsiResponse response) {
        ByteBuf dataIn = response.dataIn();
        try {
            long produced = dataIn == null ? 0 : dataIn.readableBytes();
            int toSend = task.read() ? (int) Math.min(produced, task.expectedDataTransferLength()) : 0;
            long transferLength = task.write() ? Integer.toUnsignedLong(response.dataOutLength()) : produced;
            Residual residual = Residual.of(transferLength, task.expectedDataTransferLength());
            boolean collapse = toSend > 0 && response.sense() == null
                    && (response.status() == ScsiStatus.GOOD || response.status() == ScsiStatus.CONDITION_MET);
            if (toSend > 0) {
                sendDataIn(task, dataIn, toSend, collapse ? response.status() : null, residual);
            }
            if (!collapse) {
                sendStatus(task, response.status(), response.sense(), residual);
            }
        } finally {
            if (dataIn != null) {
                dataIn.release();
            }
        }
    }

    /** Ends {@code task} with CHECK CONDITION and transport sense. The caller flushes. */
    void sendFailure(ScsiTask task, TransportSense sense) {
        sendStatus(task, ScsiStatus.CHECK_CONDITION, sense.bytes(), new Residual(false, false, 0));
    }

    private void sendDataIn(ScsiTask task, ByteBuf dataIn, int length, ScsiStatus status, Residual residual) {
        int segment = session.parameters().initiatorMaxRecvDataSegmentLength();
        int burst = session.parameters().maxBurstLength();
        SequenceNumbers numbers = session.numbers();
        int dataSn = 0;
        int burstLeft = burst;
        for (int offset = 0; offset < length; ) {
            int size = Math.min(Math.min(segment, length - offset), burstLeft);
            boolean last = offset + size == length;
            burstLeft -= size;
            boolean endOfSequence = last || burstLeft == 0;
            if (burstLeft == 0) {
                burstLeft = burst;
            }
            boolean withStatus = last && status != null;
            ByteBuf slice = dataIn.retainedSlice(dataIn.readerIndex() + offset, size);
            session.out().write(new DataInPdu(endOfSequence, false, withStatus && residual.overflow(),
                    withStatus && residual.underflow(), withStatus, withStatus ? status.code() : 0, 0L,
                    task.initiatorTaskTag(), Bhs.RESERVED_TAG, withStatus ? numbers.takeStatSn() : 0, numbers.expCmdSn(),
                    numbers.maxCmdSn(), dataSn++, offset, withStatus ? residual.count() : 0, slice));
            offset += size;
        }
        task.dataInPdus(dataSn);
    }

    private void sendStatus(ScsiTask task, ScsiStatus status, byte[] sense, Residual residual) {
        ByteBuf data = Unpooled.EMPTY_BUFFER;
        if (sense != null) {
            data = session.out().alloc().buffer(2 + sense.length).writeShort(sense.length).writeBytes(sense);
        }
        SequenceNumbers numbers = session.numbers();
        session.out().write(new ScsiResponsePdu(false, false, residual.overflow(), residual.underflow(),
                ScsiResponsePdu.COMMAND_COMPLETED, status.code(), task.initiatorTaskTag(), 0, numbers.takeStatSn(),
                numbers.expCmdSn(), numbers.maxCmdSn(), task.expDataSn(), 0, residual.count(), data));
    }
}
