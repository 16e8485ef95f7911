package dev.quarry.volume.gc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quarry.volume.chunk.ChunkFormat;
import dev.quarry.volume.chunk.ChunkRecord;
import dev.quarry.volume.chunk.Placement;
import dev.quarry.volume.meta.schema.ChunkKey;
import dev.quarry.volume.meta.schema.Schema;
import dev.quarry.volume.meta.schema.SegmentKey;
import dev.quarry.volume.meta.schema.ValueCodecs;
import dev.quarry.volume.meta.store.Batch;
import dev.quarry.volume.meta.store.MetadataStore;
import dev.quarry.volume.meta.store.StoreConfig;
import dev.quarry.volume.pool.Pool;
import dev.quarry.volume.pool.PoolDirectory;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The reaper against a real RocksDB: chunks the committer released are reaped from memory, a
 * walk of {@code pendingfree} happens only when asked for (start, other writers, too many ids),
 * and a chunk listed twice is freed once.
 */
class ReaperTest {

    private static final int RECORD = 4608;
    private static final SegmentKey SEGMENT = new SegmentKey(1, 0);
    private static final PoolDirectory NO_POOLS = new PoolDirectory() {
        @Override
        public Collection<Pool> pools() {
            return List.of();
        }

        @Override
        public Pool poolOfDisk(int diskId) {
            return null;
        }
    };

    @TempDir
    Path dir;

    private MetadataStore store;
    private ReleasedChunks released;
    private Reaper reaper;

    @BeforeEach
    void open() {
        store = MetadataStore.open(dir.resolve("meta"), new StoreConfig(8 << 20, 8 << 20, 1));
        released = new ReleasedChunks();
        reaper = new Reaper(store, NO_POOLS, released);
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void shouldWalkTheListOnceAtStartThenReapOnlyWhatTheCommitterHandsOver() {
        storeChunks(1, 10);
        release(1, 2, 3);
        Reaper.Reaped first = reaper.reapOnce(100);
        assertThat(first.drained()).isTrue();
        assertThat(reaper.freed()).as("the walk at start finds what a crash left listed").isEqualTo(3);

        // Listed by a batch the reaper was not told of: a walk would find it, memory does not.
        release(4);
        release(5);
        released.add(new long[] {5});
        reaper.reapOnce(100);
        assertThat(reaper.freed()).isEqualTo(4);
        assertThat(reaper.listed(4)).isTrue();
        assertThat(reaper.listed(5)).isFalse();
        assertThat(store.get(Schema.CHUNK, new ChunkKey(5))).isNull();
        assertThat(store.get(Schema.CHUNK, new ChunkKey(4))).isNotNull();

        reaper.requestWalk();
        assertThat(reaper.reapOnce(100).drained()).isTrue();
        assertThat(reaper.freed()).isEqualTo(5);
        assertThat(reaper.listed(4)).isFalse();
        assertThat(liveBytes()).isEqualTo(5L * RECORD);
    }

    @Test
    void shouldFreeAChunkListedTwiceOnce() {
        storeChunks(1, 4);
        reaper.reapOnce(100);
        release(2);
        released.add(new long[] {2, 2});
        released.add(new long[] {2});
        reaper.reapOnce(100);
        assertThat(reaper.freed()).isEqualTo(1);
        assertThat(liveBytes()).as("its bytes subtracted once").isEqualTo(3L * RECORD);

        // Remembered while a walk reaps it too: the second reap finds no count (one reference) and keeps off.
        release(3);
        reaper.requestWalk();
        reaper.reapOnce(100);
        released.add(new long[] {3});
        reaper.reapOnce(100);
        assertThat(reaper.freed()).isEqualTo(2);
        assertThat(liveBytes()).isEqualTo(2L * RECORD);
        assertThat(reaper.listed(2)).isFalse();
        assertThat(reaper.listed(3)).isFalse();
    }

    @Test
    void shouldKeepAChunkThatStillHasAReference() {
        storeChunks(1, 2);
        reaper.reapOnce(100);
        try (Batch batch = store.batch()) {
            batch.add(Schema.REFCOUNT, new ChunkKey(1), 1);
            store.write(batch, false);
        }
        release(1);
        released.add(new long[] {1});
        reaper.reapOnce(100);
        assertThat(reaper.freed()).isZero();
        assertThat(reaper.listed(1)).isFalse();
        assertThat(store.get(Schema.CHUNK, new ChunkKey(1))).isNotNull();
    }

    @Test
    void shouldReapInBoundedBatchesAndSayWhenDrained() {
        storeChunks(1, 50);
        reaper.reapOnce(100);
        long[] ids = new long[30];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = i + 1;
            release(i + 1);
        }
        released.add(ids);
        assertThat(reaper.reapOnce(20).drained()).isFalse();
        assertThat(reaper.freed()).isEqualTo(20);
        assertThat(reaper.reapOnce(20).drained()).isTrue();
        assertThat(reaper.freed()).isEqualTo(30);
    }

    @Test
    void shouldWalkInsteadOfRememberingTooManyIds() {
        storeChunks(1, 3);
        reaper.reapOnce(100);
        release(1, 2);
        released.add(new long[] {1});
        released.add(new long[ReleasedChunks.MAX_REMEMBERED]);
        assertThat(released.isEmpty()).as("the overflow forgot every id").isTrue();
        reaper.reapOnce(100);
        assertThat(reaper.freed()).as("the walk found both").isEqualTo(2);
    }

    /** Chunks {@code first..last} with a record each in segment (1, 0) and their bytes counted live. */
    private void storeChunks(long first, long last) {
        try (Batch batch = store.batch()) {
            for (long id = first; id <= last; id++) {
                Placement p = new Placement(SEGMENT.diskId(), SEGMENT.segment(), (int) (id * RECORD), RECORD);
                batch.put(Schema.CHUNK, new ChunkKey(id), new ChunkRecord(p, ChunkFormat.CODEC_RAW, 4096, 0));
                batch.add(Schema.SEGMENT_LIVE, SEGMENT, RECORD);
            }
            store.write(batch, false);
        }
    }

    /** What a commit does to a chunk losing its only mapping: -1 reference, listed. */
    private void release(long... ids) {
        try (Batch batch = store.batch()) {
            for (long id : ids) {
                batch.add(Schema.REFCOUNT, new ChunkKey(id), -1);
                batch.putRaw(Schema.PENDING_FREE, ChunkKey.encode(id), ValueCodecs.PENDING);
            }
            store.write(batch, false);
        }
    }

    private long liveBytes() {
        Long live = store.get(Schema.SEGMENT_LIVE, SEGMENT);
        return live == null ? 0 : live;
    }
}
