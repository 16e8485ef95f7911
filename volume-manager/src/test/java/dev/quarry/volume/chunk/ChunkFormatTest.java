package dev.quarry.volume.chunk;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

class ChunkFormatTest {

    @Test
    void shouldWriteSelfDescribingRecordThatVerifies() {
        ByteBuf payload = Unpooled.buffer(4096).writeZero(4096).setInt(100, 0x12345678);
        ByteBuf out = Unpooled.buffer();
        try {
            int crc = ChunkFormat.write(out, 77, ChunkFormat.CODEC_RAW, 4096, payload);
            assertThat(out.readableBytes()).isEqualTo(4128);
            assertThat(out.getInt(0)).isEqualTo(0x5143484B);
            ChunkFormat.Header header = ChunkFormat.header(out, 0);
            assertThat(header).isEqualTo(new ChunkFormat.Header(0, 4096, 4096, 77, crc));
            assertThat(ChunkFormat.verify(out, 0, header)).isTrue();
            out.setByte(32 + 100, 0x13);
            assertThat(ChunkFormat.verify(out, 0, header)).isFalse();
            assertThat(ChunkFormat.header(out, 16)).isNull();
        } finally {
            payload.release();
            out.release();
        }
    }
}
