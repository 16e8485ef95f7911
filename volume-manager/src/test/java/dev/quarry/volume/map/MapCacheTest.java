package dev.quarry.volume.map;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quarry.volume.chunk.Placement;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class MapCacheTest {

    private static MapValue value(long chunkId) {
        return new MapValue(chunkId, new Placement((int) (chunkId % 65_536), (int) chunkId, (int) (chunkId * 16), 4128));
    }

    @Test
    void shouldReturnWhatWasPutIncludingUnmappedAndMissingHints() {
        MapCache cache = new MapCache(1024);
        cache.put(1, 10, value(77));
        cache.put(1, 11, null);
        cache.put(2, 10, new MapValue(5, null));
        cache.put(3, (1L << 40) - 1, new MapValue(9, new Placement(65_535, Integer.MAX_VALUE, Integer.MAX_VALUE, 65_535)));

        assertThat(cache.get(1, 10)).isEqualTo(value(77));
        assertThat(cache.get(1, 11)).isSameAs(MapCache.UNMAPPED);
        assertThat(cache.get(2, 10)).isEqualTo(new MapValue(5, null));
        assertThat(cache.get(3, (1L << 40) - 1))
                .isEqualTo(new MapValue(9, new Placement(65_535, Integer.MAX_VALUE, Integer.MAX_VALUE, 65_535)));
        assertThat(cache.get(1, 12)).isNull();
        assertThat(cache.get(4, 10)).isNull();
    }

    @Test
    void shouldReplaceAnEntryInPlaceAndForgetInvalidatedOnes() {
        MapCache cache = new MapCache(1024);
        cache.put(1, 10, value(1));
        cache.put(1, 10, value(2));
        assertThat(cache.get(1, 10)).isEqualTo(value(2));
        cache.invalidate(1, 10);
        assertThat(cache.get(1, 10)).isNull();
    }

    @Test
    void shouldKeepFourBlocksThatShareASetAndEvictOnlyOneForAFifth() {
        MapCache cache = new MapCache(4);
        assertThat(cache.capacity()).isEqualTo(4);
        for (int b = 0; b < 4; b++) {
            cache.put(1, b, value(100 + b));
        }
        for (int b = 0; b < 4; b++) {
            assertThat(cache.get(1, b)).isEqualTo(value(100 + b));
        }
        cache.put(1, 4, value(104));
        int kept = 0;
        for (int b = 0; b < 4; b++) {
            kept += cache.get(1, b) != null ? 1 : 0;
        }
        assertThat(kept).isEqualTo(3);
        assertThat(cache.get(1, 4)).isEqualTo(value(104));
    }

    @Test
    void shouldHoldAWorkingSetAsLargeAsAQuarterOfItsSlots() {
        MapCache cache = new MapCache(1 << 16);
        int blocks = 1 << 14;
        for (int b = 0; b < blocks; b++) {
            cache.put(7, b, value(b));
        }
        int hits = 0;
        for (int b = 0; b < blocks; b++) {
            hits += value(b).equals(cache.get(7, b)) ? 1 : 0;
        }
        assertThat(hits).isGreaterThan(blocks * 99 / 100);
    }

    @Test
    void shouldForgetEveryBlockOfADeletedVolumeOnly() {
        MapCache cache = new MapCache(1024);
        for (int b = 0; b < 100; b++) {
            cache.put(1, b, value(b));
            cache.put(2, b, value(b));
        }
        cache.invalidateVolume(1);
        for (int b = 0; b < 100; b++) {
            assertThat(cache.get(1, b)).isNull();
        }
        assertThat(cache.get(2, 50)).isEqualTo(value(50));
    }

    @Test
    void shouldNeverCacheWhatItCannotKeyOrWhenDisabled() {
        MapCache cache = new MapCache(1024);
        cache.put(1 << 23, 1, value(1));
        cache.put(1, 1L << 40, value(1));
        assertThat(cache.get(1 << 23, 1)).isNull();
        assertThat(cache.get(1, 1L << 40)).isNull();
        MapCache disabled = new MapCache(0);
        disabled.put(1, 1, value(1));
        assertThat(disabled.get(1, 1)).isNull();
        assertThat(disabled.capacity()).isZero();
    }

    @Test
    void shouldNeverReturnATornEntryWhileWritersReplaceIt() throws InterruptedException {
        MapCache cache = new MapCache(4);
        AtomicBoolean stop = new AtomicBoolean();
        AtomicReference<MapValue> torn = new AtomicReference<>();
        Thread writer = new Thread(() -> {
            for (long i = 1; !stop.get(); i++) {
                cache.put(1, i & 7, value(i));
            }
        });
        writer.start();
        long deadline = System.nanoTime() + 300_000_000L;
        while (System.nanoTime() < deadline && torn.get() == null) {
            for (int b = 0; b < 8; b++) {
                MapValue v = cache.get(1, b);
                if (v != null && !v.equals(value(v.chunkId()))) {
                    torn.set(v);
                }
            }
        }
        stop.set(true);
        writer.join(5_000);
        assertThat(torn.get()).isNull();
    }

    @Test
    void shouldHoldAWholeVolumeThatFitsItsCapacity() {
        // 1 GiB of 4 KiB blocks in a cache of 1 Mi slots (as the default): every block must stay.
        MapCache cache = new MapCache(1 << 20);
        int blocks = 1 << 18;
        for (int volume = 1; volume <= 2; volume++) {
            for (int b = 0; b < blocks; b++) {
                cache.put(volume, b, value(b + 1L));
            }
        }
        int missing = 0;
        for (int volume = 1; volume <= 2; volume++) {
            for (int b = 0; b < blocks; b++) {
                if (cache.get(volume, b) == null) {
                    missing++;
                }
            }
        }
        assertThat(missing).as("blocks of two 1 GiB volumes evicted from a cache of four times their count").isZero();
    }
}
