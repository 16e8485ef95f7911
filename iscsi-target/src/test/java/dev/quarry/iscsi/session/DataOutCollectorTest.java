package dev.quarry.iscsi.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quarry.iscsi.login.OperationalParameters;
import dev.quarry.iscsi.pdu.Bhs;
import dev.quarry.iscsi.pdu.DataOutPdu;
import dev.quarry.iscsi.pdu.RejectReason;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class DataOutCollectorTest {

    private final AtomicInteger tags = new AtomicInteger(100);
    private DataOutCollector collector;

    @AfterEach
    void release() {
        if (collector != null) {
            collector.release();
        }
    }

    static OperationalParameters params(boolean initialR2t, int maxBurst, int firstBurst, int maxOutstandingR2t) {
        return new OperationalParameters(false, false, 1, initialR2t, true, 8192, 8192, maxBurst, firstBurst, 2, 0,
                maxOutstandingR2t, true, true, 0);
    }

    @Test
    void shouldCompleteWithImmediateDataAlone() {
        collector = new DataOutCollector(1024, false, params(false, 65536, 65536, 1), ByteBufAllocator.DEFAULT);
        collector.immediateData(bytes(1024, 1), true);
        assertThat(collector.complete()).isTrue();
        assertThat(collector.nextR2ts(tags::getAndIncrement)).isEmpty();
        assertThat(collector.r2tCount()).isZero();
    }

    @Test
    void shouldSolicitTheRestInBurstsKeepingMaxOutstandingR2tInFlight() {
        collector = new DataOutCollector(10_000, false, params(false, 2048, 1024, 2), ByteBufAllocator.DEFAULT);
        collector.immediateData(bytes(1024, 1), true);
        List<DataOutCollector.R2tRequest> first = collector.nextR2ts(tags::getAndIncrement);
        assertThat(first).extracting(DataOutCollector.R2tRequest::bufferOffset).containsExactly(1024, 3072);
        assertThat(first).extracting(DataOutCollector.R2tRequest::desiredDataTransferLength).containsExactly(2048, 2048);
        assertThat(first).extracting(DataOutCollector.R2tRequest::r2tSn).containsExactly(0, 1);
        assertThat(feed(dataOut(first.get(0), 0, 0, 1024, false))).isNull();
        assertThat(feed(dataOut(first.get(0), 1, 1024, 1024, true))).isNull();
        List<DataOutCollector.R2tRequest> next = collector.nextR2ts(tags::getAndIncrement);
        assertThat(next).singleElement().satisfies(r -> {
            assertThat(r.bufferOffset()).isEqualTo(5120);
            assertThat(r.r2tSn()).isEqualTo(2);
        });
        assertThat(feed(dataOut(first.get(1), 0, 0, 2048, true))).isNull();
        List<DataOutCollector.R2tRequest> fourth = collector.nextR2ts(tags::getAndIncrement);
        assertThat(fourth).singleElement().satisfies(r -> assertThat(r.bufferOffset()).isEqualTo(7168));
        assertThat(feed(dataOut(next.get(0), 0, 0, 2048, true))).isNull();
        List<DataOutCollector.R2tRequest> last = collector.nextR2ts(tags::getAndIncrement);
        assertThat(last).singleElement().satisfies(r -> {
            assertThat(r.bufferOffset()).isEqualTo(9216);
            assertThat(r.desiredDataTransferLength()).isEqualTo(10_000 - 9216);
        });
        assertThat(feed(dataOut(fourth.get(0), 0, 0, 2048, true))).isNull();
        assertThat(feed(dataOut(last.get(0), 0, 0, 10_000 - 9216, true))).isNull();
        assertThat(collector.complete()).isTrue();
        assertThat(collector.r2tCount()).isEqualTo(5);
        ByteBuf data = collector.take();
        assertThat(data.readableBytes()).isEqualTo(10_000);
        assertThat(((CompositeByteBuf) data).numComponents()).as("slices, not a copy").isGreaterThan(1);
        data.release();
    }

    @Test
    void shouldWaitForTheUnsolicitedSequenceBeforeSoliciting() {
        collector = new DataOutCollector(4096, true, params(false, 65536, 2048, 1), ByteBufAllocator.DEFAULT);
        collector.immediateData(bytes(1024, 1), true);
        assertThat(collector.nextR2ts(tags::getAndIncrement)).as("unsolicited Data-Out still to come").isEmpty();
        assertThat(feed(unsolicited(0, 1024, 1024, true))).isNull();
        assertThat(collector.nextR2ts(tags::getAndIncrement)).singleElement()
                .satisfies(r -> assertThat(r.bufferOffset()).isEqualTo(2048));
    }

    @Test
    void shouldEndTaskWithUnexpectedUnsolicitedDataWhenInitialR2tIsYes() {
        collector = new DataOutCollector(4096, true, params(true, 65536, 65536, 1), ByteBufAllocator.DEFAULT);
        assertThat(feed(unsolicited(0, 0, 1024, true))).as("no Reject, a CHECK CONDITION").isNull();
        assertThat(collector.failure()).isEqualTo(TransportSense.UNEXPECTED_UNSOLICITED_DATA);
        assertThat(collector.settled()).isTrue();
    }

    @Test
    void shouldEndTaskWhenImmediateDataExceedsFirstBurstLength() {
        collector = new DataOutCollector(8192, false, params(false, 65536, 1024, 1), ByteBufAllocator.DEFAULT);
        collector.immediateData(bytes(2048, 1), true);
        assertThat(collector.failure()).isEqualTo(TransportSense.INCORRECT_UNSOLICITED_DATA);
    }

    @Test
    void shouldEndTaskWhenImmediateDataIsNotAllowed() {
        collector = new DataOutCollector(8192, false, params(false, 65536, 65536, 1), ByteBufAllocator.DEFAULT);
        collector.immediateData(bytes(512, 1), false);
        assertThat(collector.failure()).isEqualTo(TransportSense.UNEXPECTED_UNSOLICITED_DATA);
    }

    @Test
    void shouldRejectDuplicateDataSnAndKeepAbsorbingUntilFinal() {
        collector = new DataOutCollector(4096, false, params(true, 65536, 65536, 1), ByteBufAllocator.DEFAULT);
        DataOutCollector.R2tRequest r2t = collector.nextR2ts(tags::getAndIncrement).get(0);
        assertThat(feed(dataOut(r2t, 0, 0, 1024, false))).isNull();
        assertThat(feed(dataOut(r2t, 0, 1024, 1024, false))).isEqualTo(RejectReason.PROTOCOL_ERROR);
        assertThat(collector.failure()).isEqualTo(TransportSense.DATA_PHASE_ERROR);
        assertThat(collector.settled()).as("the R2T's sequence is still open").isFalse();
        assertThat(feed(dataOut(r2t, 2, 2048, 2048, true))).isNull();
        assertThat(collector.settled()).isTrue();
        assertThat(collector.complete()).isFalse();
    }

    @Test
    void shouldRejectDataBeyondTheR2tWithSixtyFourBitArithmetic() {
        collector = new DataOutCollector(4096, false, params(true, 65536, 65536, 1), ByteBufAllocator.DEFAULT);
        DataOutCollector.R2tRequest r2t = collector.nextR2ts(tags::getAndIncrement).get(0);
        DataOutPdu wrapping = new DataOutPdu(true, 0, 1, r2t.targetTransferTag(), 0, 0, 0xFFFF_FF00, bytes(512, 2));
        assertThat(feed(wrapping)).isEqualTo(RejectReason.INVALID_PDU_FIELD);
        assertThat(collector.failure()).isEqualTo(TransportSense.DATA_PHASE_ERROR);
    }

    @Test
    void shouldRejectDataLongerThanTheR2tAsked() {
        collector = new DataOutCollector(2048, false, params(true, 1024, 1024, 1), ByteBufAllocator.DEFAULT);
        DataOutCollector.R2tRequest r2t = collector.nextR2ts(tags::getAndIncrement).get(0);
        assertThat(feed(dataOut(r2t, 0, 0, 2048, true))).isEqualTo(RejectReason.INVALID_PDU_FIELD);
        assertThat(collector.failure()).isEqualTo(TransportSense.TOO_MUCH_WRITE_DATA);
        assertThat(collector.settled()).isTrue();
    }

    @Test
    void shouldRejectATransferTagNeverIssued() {
        collector = new DataOutCollector(2048, false, params(true, 65536, 65536, 1), ByteBufAllocator.DEFAULT);
        collector.nextR2ts(tags::getAndIncrement);
        assertThat(feed(new DataOutPdu(true, 0, 1, 0x7777, 0, 0, 0, bytes(512, 3)))).isEqualTo(RejectReason.INVALID_PDU_FIELD);
        assertThat(collector.failure()).isEqualTo(TransportSense.INVALID_TRANSFER_TAG);
    }

    @Test
    void shouldRecordDigestErrorAndStillTrackTheSequence() {
        collector = new DataOutCollector(2048, false, params(true, 65536, 65536, 1), ByteBufAllocator.DEFAULT);
        DataOutCollector.R2tRequest r2t = collector.nextR2ts(tags::getAndIncrement).get(0);
        collector.corruptDataOut(r2t.targetTransferTag(), false);
        assertThat(collector.settled()).isFalse();
        collector.corruptDataOut(r2t.targetTransferTag(), true);
        assertThat(collector.failure()).isEqualTo(TransportSense.PROTOCOL_SERVICE_CRC_ERROR);
        assertThat(collector.settled()).isTrue();
    }

    /** Hands {@code pdu} over as the connection does: the collector retains what it keeps. */
    private RejectReason feed(DataOutPdu pdu) {
        try {
            return collector.dataOut(pdu);
        } finally {
            pdu.release();
        }
    }

    private static DataOutPdu dataOut(DataOutCollector.R2tRequest r2t, int dataSn, int offsetInSequence, int length,
                                      boolean last) {
        return new DataOutPdu(last, 0, 1, r2t.targetTransferTag(), 0, dataSn, r2t.bufferOffset() + offsetInSequence,
                bytes(length, dataSn));
    }

    private static DataOutPdu unsolicited(int dataSn, int offset, int length, boolean last) {
        return new DataOutPdu(last, 0, 1, Bhs.RESERVED_TAG, 0, dataSn, offset, bytes(length, dataSn));
    }

    private static ByteBuf bytes(int length, int seed) {
        ByteBuf buf = ByteBufAllocator.DEFAULT.buffer(length);
        for (int i = 0; i < length; i++) {
            buf.writeByte(seed + i);
        }
        return buf;
    }
}
