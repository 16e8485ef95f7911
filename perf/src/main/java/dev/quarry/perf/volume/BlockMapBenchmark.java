package dev.quarry.perf.volume;

import dev.quarry.volume.chunk.Placement;
import dev.quarry.volume.map.BlockMap;
import dev.quarry.volume.map.MapCache;
import dev.quarry.volume.map.MapOverlay;
import dev.quarry.volume.map.MapValue;
import dev.quarry.volume.meta.schema.BlockMapKey;
import dev.quarry.volume.meta.schema.Schema;
import dev.quarry.volume.meta.schema.ValueCodecs;
import dev.quarry.volume.meta.store.Batch;
import dev.quarry.volume.meta.store.MetadataStore;
import dev.quarry.volume.meta.store.StoreConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The block map in a real RocksDB (default store configuration, in a temporary folder): the
 * lookup of one block and of a 32-block run (MultiGet) past the hot-entry cache, the same through
 * a warm cache, and the update of 32 blocks in one unsynced WriteBatch (the committer's shape).
 *
 * <p>Not thread-safe; JMH gives each thread its own state.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class BlockMapBenchmark {

    private static final int VOLUME = 1;
    private static final int RUN = 32;

    /** Mapped blocks of the volume (262144 = 1 GiB of 4 KiB blocks). */
    @Param({"262144"})
    public int blocks;

    private Path directory;
    private MetadataStore store;
    private BlockMap uncached;
    private BlockMap cached;
    private final SplittableRandom random = new SplittableRandom(42);
    private long nextChunk;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        directory = Files.createTempDirectory("quarry-blockmap-bench");
        store = MetadataStore.open(directory, StoreConfig.DEFAULT);
        for (int first = 0; first < blocks; first += 4096) {
            try (Batch batch = store.batch()) {
                for (int b = first; b < Math.min(blocks, first + 4096); b++) {
                    putMapping(batch, b, b + 1L);
                }
                store.write(batch, false);
            }
        }
        nextChunk = blocks + 1L;
        uncached = new BlockMap(store, new MapOverlay(), new MapCache(0));
        cached = new BlockMap(store, new MapOverlay(), new MapCache(blocks * 2));
        for (int b = 0; b < blocks; b += RUN) {
            cached.lookup(VOLUME, b, RUN);
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        store.close();
        try (var files = Files.walk(directory)) {
            for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    @Benchmark
    public MapValue lookupOneFromRocksDb() {
        return uncached.lookup(VOLUME, random.nextInt(blocks));
    }

    @Benchmark
    public MapValue[] lookupRunFromRocksDb() {
        return uncached.lookup(VOLUME, random.nextInt(blocks - RUN), RUN);
    }

    @Benchmark
    public MapValue lookupOneFromCache() {
        return cached.lookup(VOLUME, random.nextInt(blocks));
    }

    @Benchmark
    public int updateRunInOneBatch() {
        long first = random.nextInt(blocks - RUN);
        try (Batch batch = store.batch()) {
            for (int i = 0; i < RUN; i++) {
                putMapping(batch, first + i, nextChunk++);
            }
            store.write(batch, false);
            return batch.count();
        }
    }

    private static void putMapping(Batch batch, long block, long chunkId) {
        Placement hint = new Placement(1, (int) (chunkId >>> 13), (int) (chunkId & 8191) * 4160, 4160);
        batch.putRaw(Schema.BLOCK_MAP, BlockMapKey.head(VOLUME, block), ValueCodecs.MAP_VALUE.encode(new MapValue(chunkId, hint)));
    }
}
