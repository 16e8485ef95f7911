package dev.quarry.volume;

import dev.quarry.volume.chunk.ChunkIdAllocator;
import dev.quarry.volume.chunk.ChunkReader;
import dev.quarry.volume.chunk.ChunkWriter;
import dev.quarry.volume.commit.CommitListener;
import dev.quarry.volume.commit.Committer;
import dev.quarry.volume.commit.Mutation;
import dev.quarry.volume.disk.BackendDisk;
import dev.quarry.volume.fsck.Fsck;
import dev.quarry.volume.fsck.FsckReport;
import dev.quarry.volume.gc.CleanerStatistics;
import dev.quarry.volume.gc.Collector;
import dev.quarry.volume.gc.Reaper;
import dev.quarry.volume.gc.ReleasedChunks;
import dev.quarry.volume.gc.SegmentCleaner;
import dev.quarry.volume.map.BlockMap;
import dev.quarry.volume.map.MapCache;
import dev.quarry.volume.map.MapOverlay;
import dev.quarry.volume.meta.store.MetadataStore;
import dev.quarry.volume.pool.Job;
import dev.quarry.volume.pool.Pool;
import dev.quarry.volume.pool.PoolRegistry;
import dev.quarry.volume.pool.PoolService;
import dev.quarry.volume.snapshot.SnapshotCatalog;
import dev.quarry.volume.snapshot.SnapshotRegistry;
import dev.quarry.volume.snapshot.SnapshotService;
import dev.quarry.volume.thin.ChunkScrubber;
import dev.quarry.volume.thin.VolumeContext;
import dev.quarry.volume.thin.VolumeRegistry;
import dev.quarry.volume.thin.VolumeService;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The entry point of the volume layer: opens the metadata store in a data directory, recovers
 * pools (reopening and verifying their disks), volumes, snapshots and interrupted deletions,
 * reclaims and clone copies, starts the committer and the garbage collector, and offers the
 * {@link PoolService}, {@link VolumeService} and {@link SnapshotService} the admin layer calls. Closing commits what is pending and stops it all.
 *
 * <p>Thread-safe. {@link #open} and {@link #close} block.
 */
public final class VolumeManager implements AutoCloseable {

    private final MetadataStore store;
    private final ExecutorService executor;
    private final Committer committer;
    private final PoolRegistry pools;
    private final VolumeRegistry volumes;
    private final SnapshotRegistry snapshots;
    private final Collector collector;
    private final BlockMap blockMap;
    private volatile boolean closed;

    private VolumeManager(Path dataDirectory, VolumeManagerConfig config) {
        this.store = MetadataStore.open(dataDirectory.resolve("metadata"), config.store());
        this.executor = Executors.newFixedThreadPool(config.volumeThreads(), threads("volume-io"));
        MapOverlay overlay = new MapOverlay();
        this.blockMap = new BlockMap(store, overlay, new MapCache(config.mapCacheEntries()));
        VolumeRegistry[] registry = new VolumeRegistry[1];
        AtomicReference<Collector> gc = new AtomicReference<>();
        PoolRegistry[] poolRegistry = new PoolRegistry[1];
        ReleasedChunks releasedChunks = new ReleasedChunks();
        this.committer = new Committer(store, overlay, blockMap.cache(), config.commit(), new CommitListener() {
            @Override
            public void committed(Map<Integer, Long> mappedBlockDeltas, List<Mutation.NewChunk> chunks, long[] released) {
                mappedBlockDeltas.forEach((volume, delta) -> registry[0].mappedDelta(volume, delta));
                for (Mutation.NewChunk c : chunks) {
                    BackendDisk disk = poolRegistry[0].findDisk(c.record().placement().diskId());
                    if (disk != null) {
                        disk.addLive(c.record().placement().length());
                    }
                }
                Collector collector = gc.get();
                if (released.length > 0) {
                    releasedChunks.add(released);
                    if (collector != null) {
                        collector.wake();
                    }
                }
            }

            @Override
            public void diskSyncFailed(BackendDisk disk, Throwable cause) {
                poolRegistry[0].failed(disk, cause);
            }

            @Override
            public void dropped(Mutation mutation) {
                if (!mutation.chunks().isEmpty()) {
                    Pool pool = poolRegistry[0].poolOfDisk(mutation.chunks().get(0).record().placement().diskId());
                    if (pool != null) {
                        pool.unreserve(mutation.liveBytes());
                    }
                }
            }
        });
        this.pools = new PoolRegistry(store, config.openers(), committer::enqueuedSequence,
                pool -> registry[0].softThresholdReached(pool), () -> {
                    Collector collector = gc.get();
                    if (collector != null) {
                        collector.wake();
                    }
                });
        poolRegistry[0] = pools;
        ChunkWriter writer = new ChunkWriter(new ChunkIdAllocator(store, executor), pools, executor,
                TimeUnit.MILLISECONDS.toNanos(config.gc().spaceWaitMillis()));
        ChunkReader reader = new ChunkReader(pools::findDisk, store, executor, pools);
        SnapshotCatalog catalog = SnapshotCatalog.load(store);
        this.volumes = new VolumeRegistry(store, pools, new VolumeContext(blockMap, committer, writer, reader, executor,
                new ChunkScrubber(store, pools::findDisk, gc::get)), catalog, () -> {
                    Collector collector = gc.get();
                    if (collector != null) {
                        collector.chunksListed();
                    }
                });
        registry[0] = volumes;
        pools.usedBy(volumes::usesPool);
        pools.recover();
        volumes.recover();
        this.collector = new Collector(store, pools, new Reaper(store, pools, releasedChunks), new SegmentCleaner(store, writer),
                config.gc(), committer::durableSequence);
        gc.set(collector);
        pools.resumeDrains(collector);
        this.snapshots = new SnapshotRegistry(store, volumes, catalog, collector::chunksListed);
        snapshots.recover();
    }

    /** Opens (creating when missing) the volume manager of {@code dataDirectory}. Blocks. */
    public static VolumeManager open(Path dataDirectory, VolumeManagerConfig config) {
        return new VolumeManager(dataDirectory, config);
    }

    public PoolService pools() {
        return pools;
    }

    public VolumeService volumes() {
        return volumes;
    }

    public SnapshotService snapshots() {
        return snapshots;
    }

    /**
     * The long jobs running now: disk drains and snapshot reclaims and clone copies, those a
     * restart resumed included (the admin layer lists them so their progress stays visible).
     */
    public List<Job> runningJobs() {
        List<Job> running = new java.util.ArrayList<>(pools.runningDrains());
        running.addAll(snapshots.runningJobs());
        return running;
    }

    /** The garbage collector's figures. */
    public CleanerStatistics cleanerStatistics() {
        return collector.statistics();
    }

    /** Runs a garbage-collection pass now and waits for it (tests, "clean now"). */
    public void collectGarbage() {
        collector.runPass().orTimeout(5, TimeUnit.MINUTES).join();
    }

    /** Makes every write completed so far durable. Blocks. */
    public void flush() {
        committer.flush().orTimeout(5, TimeUnit.MINUTES).join();
    }

    /** Checks metadata and on-disk chunk headers against each other; blocks (see {@link Fsck}). */
    public FsckReport fsck() {
        flush();
        return collector.submit(() -> new Fsck(store, pools::findDisk).run()).orTimeout(30, TimeUnit.MINUTES).join();
    }

    /** The metadata store, for tools that report its figures (sizes, properties). */
    public MetadataStore store() {
        return store;
    }

    /**
     * Stops the collector, commits what is pending and stops the committer, then the volume
     * threads, the disks and last the store. Idempotent.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        snapshots.close();
        collector.close();
        committer.close();
        executor.shutdown();
        try {
            executor.awaitTermination(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        pools.close();
        store.close();
    }

    private static ThreadFactory threads(String name) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
