package dev.quarry.volume.commit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.quarry.block.BlockIoException;
import dev.quarry.volume.chunk.Placement;
import dev.quarry.volume.disk.BackendDisk;
import dev.quarry.volume.map.BlockMap;
import dev.quarry.volume.map.MapCache;
import dev.quarry.volume.map.MapOverlay;
import dev.quarry.volume.map.MapValue;
import dev.quarry.volume.meta.schema.BlockMapKey;
import dev.quarry.volume.meta.schema.ChunkKey;
import dev.quarry.volume.meta.schema.Schema;
import dev.quarry.volume.meta.store.MetadataStore;
import dev.quarry.volume.meta.store.StoreConfig;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The committer over a real RocksDB store: rounds of cached mutations commit on their own (their
 * WAL record left to the next synced write), and a flush or a FUA mutation syncs, also when
 * nothing is queued any more.
 */
@Timeout(60)
class CommitterTest {

    private static final CommitConfig CONFIG = new CommitConfig(2, 4096, 16384);
    private static final CommitListener QUIET = new CommitListener() {
        @Override
        public void committed(Map<Integer, Long> mappedBlockDeltas, List<Mutation.NewChunk> chunks, long[] releasedChunks) {
        }

        @Override
        public void diskSyncFailed(BackendDisk disk, Throwable cause) {
        }

        @Override
        public void dropped(Mutation mutation) {
        }
    };

    @TempDir
    Path dir;

    private MetadataStore store;
    private Committer committer;

    @BeforeEach
    void open() {
        store = MetadataStore.open(dir.resolve("meta"), new StoreConfig(8 << 20, 8 << 20, 1));
        committer = new Committer(store, new MapOverlay(), new MapCache(1024), CONFIG, QUIET);
    }

    @AfterEach
    void close() {
        committer.close();
        store.close();
    }

    @Test
    void shouldCommitCachedRoundsWithoutAFlush() throws Exception {
        Mutation m = cached(7, 100);
        committer.submit(m).get(10, TimeUnit.SECONDS);
        assertThat(committer.durableSequence()).isGreaterThanOrEqualTo(m.sequence());
        assertThat(new BlockMap(store, new MapOverlay(), new MapCache(0)).lookup(1, 7)).isEqualTo(value(100));
    }

    @Test
    void shouldSyncForAFlushWhenNothingIsQueuedAnyMore() throws Exception {
        for (int i = 0; i < 20; i++) {
            committer.submit(cached(i, 200 + i)).get(10, TimeUnit.SECONDS);
        }
        assertThat(committer.durableSequence()).isEqualTo(committer.enqueuedSequence());
        committer.flush().get(10, TimeUnit.SECONDS);
        CompletableFuture<Void> again = committer.flush();
        assertThat(again).isDone();
        again.get();
    }

    @Test
    void shouldCompleteAFuaMutationAfterItsSyncedRound() throws Exception {
        committer.submit(cached(1, 300)).get(10, TimeUnit.SECONDS);
        Mutation fua = new Mutation(1, true).map(2, value(301));
        committer.submit(fua).get(10, TimeUnit.SECONDS);
        assertThat(committer.flush()).isDone();
    }

    @Test
    void shouldKeepCommittedCachedRoundsAcrossAClose() throws Exception {
        committer.submit(cached(9, 400)).get(10, TimeUnit.SECONDS);
        committer.close();
        store.close();
        store = MetadataStore.open(dir.resolve("meta"), new StoreConfig(8 << 20, 8 << 20, 1));
        committer = new Committer(store, new MapOverlay(), new MapCache(1024), CONFIG, QUIET);
        assertThat(new BlockMap(store, new MapOverlay(), new MapCache(0)).lookup(1, 9)).isEqualTo(value(400));
    }

    @Test
    void shouldReleaseTheOldChunkOfAnOverwriteWhetherTheCacheHoldsItsMappingOrNot() throws Exception {
        for (int cacheSlots : new int[] {1024, 0}) {
            List<Long> released = new CopyOnWriteArrayList<>();
            MapCache cache = new MapCache(cacheSlots);
            committer.close();
            committer = new Committer(store, new MapOverlay(), cache, CONFIG, releasing(released));
            long block = 11 + cacheSlots;
            long old = 500 + cacheSlots;
            committer.submit(cached(block, old)).get(10, TimeUnit.SECONDS);
            assertThat(cache.get(1, block)).isEqualTo(cacheSlots > 0 ? value(old) : null);
            committer.submit(cached(block, old + 1)).get(10, TimeUnit.SECONDS);
            assertThat(released).as("cache of %d slots", cacheSlots).containsExactly(old);
            assertThat(store.get(Schema.REFCOUNT, new ChunkKey(old))).as("+1 when mapped (not a new chunk), -1 when released")
                    .isZero();
        }
    }

    @Test
    void shouldKeepWhatASnapshotSeesEvenWhenTheCacheHoldsTheMapping() throws Exception {
        List<Long> released = new CopyOnWriteArrayList<>();
        MapCache cache = new MapCache(1024);
        committer.close();
        committer = new Committer(store, new MapOverlay(), cache, CONFIG, releasing(released));
        committer.submit(new Mutation(1, false, new Retention(3, new long[0])).map(12, value(600))).get(10, TimeUnit.SECONDS);
        assertThat(cache.get(1, 12)).isEqualTo(value(600));
        Retention pinned = new Retention(4, new long[] {3});
        committer.submit(new Mutation(1, false, pinned).map(12, value(601))).get(10, TimeUnit.SECONDS);
        assertThat(released).as("kept as a version for the snapshot at epoch 3").isEmpty();
        assertThat(store.getRaw(Schema.BLOCK_MAP, BlockMapKey.encode(1, 12, 3))).isNotNull();
    }

    @Test
    void shouldMakeAFlushWaitForAnnouncedMutationsAndCoverThem() throws Exception {
        long ticket = committer.tryAnnounce(4);
        assertThat(ticket).isPositive();
        CompletableFuture<Void> flush = committer.flush();
        Thread.sleep(50);
        assertThat(flush).isNotDone();
        Mutation m = cached(20, 700);
        committer.submit(m, ticket);
        flush.get(10, TimeUnit.SECONDS);
        assertThat(committer.durableSequence()).isGreaterThanOrEqualTo(m.sequence());
    }

    @Test
    void shouldFailOneFlushAfterALostAnnouncedWriteAndBoundTheAnnouncements() throws Exception {
        long lost = committer.tryAnnounce(2);
        long other = committer.tryAnnounce(2);
        assertThat(committer.tryAnnounce(2)).as("at the limit").isEqualTo(-1);
        CompletableFuture<Void> flush = committer.flush();
        committer.withdraw(other, false);
        committer.withdraw(lost, true);
        assertThatThrownBy(() -> flush.get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(BlockIoException.class)
                .cause().hasMessageContaining("lost");
        committer.flush().get(10, TimeUnit.SECONDS);
        CompletableFuture<Void> unaffected = committer.flush();
        unaffected.get(10, TimeUnit.SECONDS);
    }

    private static CommitListener releasing(List<Long> released) {
        return new CommitListener() {
            @Override
            public void committed(Map<Integer, Long> mappedBlockDeltas, List<Mutation.NewChunk> chunks, long[] releasedChunks) {
                for (long id : releasedChunks) {
                    released.add(id);
                }
            }

            @Override
            public void diskSyncFailed(BackendDisk disk, Throwable cause) {
            }

            @Override
            public void dropped(Mutation mutation) {
            }
        };
    }

    private static Mutation cached(long block, long chunkId) {
        return new Mutation(1, false).map(block, value(chunkId));
    }

    private static MapValue value(long chunkId) {
        return new MapValue(chunkId, new Placement(1, 0, (int) chunkId * 4608 % (1 << 20), 4128));
    }
}
