package dev.quarry.iscsi.initiator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.quarry.iscsi.pdu.Bhs;
import dev.quarry.iscsi.pdu.DataInPdu;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

/** Data-In reassembly (RFC 7143 §11.7): sequence, offsets and bounds. */
class DataInCollectorTest {

    private static DataInPdu dataIn(int dataSn, int offset, byte[] bytes) {
        return new DataInPdu(false, false, false, false, false, 0, 0, 1, Bhs.RESERVED_TAG, 0, 0, 0, dataSn, offset, 0,
                Unpooled.wrappedBuffer(bytes));
    }

    @Test
    void shouldAssembleSegmentsIntoOneDirectBuffer() {
        DataInCollector collector = new DataInCollector(12);
        collector.accept(dataIn(0, 0, new byte[] {1, 2, 3, 4}), ByteBufAllocator.DEFAULT);
        collector.accept(dataIn(1, 4, new byte[] {5, 6, 7, 8}), ByteBufAllocator.DEFAULT);
        collector.accept(dataIn(2, 8, new byte[] {9, 10}), ByteBufAllocator.DEFAULT);
        assertThat(collector.received()).isEqualTo(10);
        ByteBuf data = collector.take(ByteBufAllocator.DEFAULT);
        try {
            assertThat(data.isDirect()).isTrue();
            assertThat(data.readableBytes()).isEqualTo(10);
            assertThat(data.getByte(9)).isEqualTo((byte) 10);
        } finally {
            data.release();
        }
    }

    @Test
    void shouldRefuseGapsOverlapsAndOverruns() {
        DataInCollector collector = new DataInCollector(8);
        collector.accept(dataIn(0, 0, new byte[4]), ByteBufAllocator.DEFAULT);
        assertThatThrownBy(() -> collector.accept(dataIn(2, 4, new byte[4]), ByteBufAllocator.DEFAULT))
                .isInstanceOf(TargetProtocolException.class).hasMessageContaining("DataSN");
        DataInCollector gap = new DataInCollector(8);
        assertThatThrownBy(() -> gap.accept(dataIn(0, 4, new byte[4]), ByteBufAllocator.DEFAULT))
                .isInstanceOf(TargetProtocolException.class);
        DataInCollector overrun = new DataInCollector(8);
        assertThatThrownBy(() -> overrun.accept(dataIn(0, 0, new byte[12]), ByteBufAllocator.DEFAULT))
                .isInstanceOf(TargetProtocolException.class);
        DataInCollector wrap = new DataInCollector(8);
        assertThatThrownBy(() -> wrap.accept(dataIn(0, 0xFFFF_FFFC, new byte[4]), ByteBufAllocator.DEFAULT))
                .isInstanceOf(TargetProtocolException.class);
        collector.release();
        collector.release();
    }

    @Test
    void shouldHandOverAnEmptyBufferWhenNothingCame() {
        DataInCollector collector = new DataInCollector(512);
        ByteBuf data = collector.take(ByteBufAllocator.DEFAULT);
        assertThat(data.readableBytes()).isZero();
        data.release();
    }
}
