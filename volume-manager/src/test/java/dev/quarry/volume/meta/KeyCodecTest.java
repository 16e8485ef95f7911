package dev.quarry.volume.meta;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.quarry.volume.chunk.ChunkRecord;
import dev.quarry.volume.chunk.Placement;
import dev.quarry.volume.map.MapValue;
import dev.quarry.volume.meta.schema.BlockMapKey;
import dev.quarry.volume.meta.schema.ChunkKey;
import dev.quarry.volume.meta.schema.Counters;
import dev.quarry.volume.meta.schema.SegmentKey;
import dev.quarry.volume.meta.schema.ValueCodecs;
import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** Golden bytes of the key and value codecs, and the orders the layouts promise. */
class KeyCodecTest {

    private static final HexFormat HEX = HexFormat.of();

    @Test
    void shouldEncodeBlockMapHeadKeyWithInvertedSequence() {
        assertThat(HEX.formatHex(BlockMapKey.head(7, 0x0102)))
                .isEqualTo("00000007" + "0000000000000102" + "0000000000000000");
        assertThat(HEX.formatHex(BlockMapKey.encode(7, 0x0102, 5)))
                .isEqualTo("00000007" + "0000000000000102" + "fffffffffffffffa");
        assertThat(BlockMapKey.CODEC.decode(BlockMapKey.encode(7, 0x0102, 5))).isEqualTo(new BlockMapKey(7, 0x0102, 5));
    }

    @ParameterizedTest
    @CsvSource({"1,5,1,6", "1,5,2,0", "1,255,1,256", "3,9,4,0"})
    void shouldOrderKeysByVolumeThenBlock(int v1, long b1, int v2, long b2) {
        assertThat(Arrays.compareUnsigned(BlockMapKey.head(v1, b1), BlockMapKey.head(v2, b2))).isNegative();
    }

    @Test
    void shouldSortNewerVersionsOfABlockFirstAndTheHeadBeforeAll() {
        byte[] head = BlockMapKey.head(1, 9);
        byte[] newer = BlockMapKey.encode(1, 9, 100);
        byte[] older = BlockMapKey.encode(1, 9, 50);
        assertThat(Arrays.compareUnsigned(head, newer)).isNegative();
        assertThat(Arrays.compareUnsigned(newer, older)).isNegative();
        assertThat(BlockMapKey.isHead(head)).isTrue();
        assertThat(BlockMapKey.isHead(newer)).isFalse();
    }

    @Test
    void shouldEncodeChunkAndSegmentKeysBigEndian() {
        assertThat(HEX.formatHex(ChunkKey.encode(0x0A0B))).isEqualTo("0000000000000a0b");
        assertThat(HEX.formatHex(new SegmentKey(3, 0x10203).encode())).isEqualTo("0003" + "00010203");
    }

    @Test
    void shouldEncodeMapValueWithVersionByteFirst() {
        MapValue value = new MapValue(42, new Placement(3, 7, 4096, 4128));
        byte[] bytes = ValueCodecs.MAP_VALUE.encode(value);
        assertThat(HEX.formatHex(bytes)).isEqualTo("01" + "000000000000002a" + "0003" + "00000007" + "00001000" + "1020");
        assertThat(ValueCodecs.MAP_VALUE.decode(bytes)).isEqualTo(value);
        bytes[0] = 9;
        assertThatThrownBy(() -> ValueCodecs.MAP_VALUE.decode(bytes)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldRoundTripChunkRecords() {
        ChunkRecord record = new ChunkRecord(new Placement(1, 2, 3 * 16, 4128), 0, 4096, 0xCAFEBABE);
        byte[] bytes = ValueCodecs.CHUNK.encode(record);
        assertThat(bytes).hasSize(20);
        assertThat(bytes[0]).isEqualTo((byte) 1);
        assertThat(ValueCodecs.CHUNK.decode(bytes)).isEqualTo(record);
    }

    @Test
    void shouldStoreCountersAsRocksDbFixed64AndCountAnImplicitFirstReference() {
        assertThat(HEX.formatHex(Counters.delta(1))).isEqualTo("0100000000000000");
        assertThat(HEX.formatHex(Counters.delta(-1))).isEqualTo("ffffffffffffffff");
        assertThat(Counters.references(null)).isEqualTo(1);
        assertThat(Counters.references(Counters.delta(-1))).isZero();
        assertThat(Counters.references(Counters.delta(2))).isEqualTo(3);
    }
}
