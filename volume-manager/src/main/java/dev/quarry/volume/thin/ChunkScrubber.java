package dev.quarry.volume.thin;

import dev.quarry.block.BlockIoException;
import dev.quarry.block.SenseCode;
import dev.quarry.volume.chunk.ChunkFormat;
import dev.quarry.volume.chunk.Placement;
import dev.quarry.volume.disk.BackendDisk;
import dev.quarry.volume.gc.Collector;
import dev.quarry.volume.map.MapValue;
import dev.quarry.volume.meta.schema.ChunkKey;
import dev.quarry.volume.meta.schema.Counters;
import dev.quarry.volume.meta.schema.Schema;
import dev.quarry.volume.meta.schema.SegmentKey;
import dev.quarry.volume.meta.schema.ValueCodecs;
import dev.quarry.volume.meta.store.MetadataStore;
import dev.quarry.volume.segment.SegmentState;
import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.IntFunction;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Overwrites, on the pool's disks, the records of chunks a sanitize released: a chunk nothing
 * references any more has its record overwritten where its chunk record places it and, when the
 * cleaner moved it, at the old place its map hint still names (if that segment is still sealed).
 * A chunk still referenced elsewhere (by another volume, once clones and dedup share chunks) is
 * not this volume's to erase and stays as it is.
 *
 * <p>The work runs on the collector thread, held for the whole sanitize (see {@link #exclusively}):
 * the reaper cannot delete the released chunk records meanwhile (so their placements stay
 * known), the cleaner moves nothing, and no segment is freed and reused under the overwrite. Each record's header is
 * read first and only a record that still carries the chunk's id is overwritten, in whole device
 * blocks read, patched and written back (the bytes around the record are rewritten unchanged:
 * appends never rewrite a device block, and nothing else writes into an existing segment).
 *
 * <p>Thread-safe: {@link #scrub} may be called from any thread; the scrub itself is confined to
 * the collector thread.
 */
public final class ChunkScrubber {

    /** Where one record to overwrite lies, verified. */
    private record Region(BackendDisk disk, int segment, int start, int length, int recordAt, int recordLength) {
    }

    private static final Logger LOG = LoggerFactory.getLogger(ChunkScrubber.class);
    private static final long POLL_MILLIS = 50;

    private final MetadataStore store;
    private final IntFunction<BackendDisk> disks;
    private final Supplier<Collector> collector;

    /** {@code disks} finds a pool disk by id; {@code collector} is the volume manager's garbage collector. */
    public ChunkScrubber(MetadataStore store, IntFunction<BackendDisk> disks, Supplier<Collector> collector) {
        this.store = store;
        this.disks = disks;
        this.collector = collector;
    }

    /** Overwrites released chunks' records; handed to the work {@link #exclusively} runs. */
    @FunctionalInterface
    public interface Scrubs {
        /**
         * Overwrites, with each block of {@code passes} in turn (the disks flushed after each
         * pass), the records of those {@code chunks} that nothing references any more, once their
         * release is durable. Yields the number of records overwritten.
         */
        CompletableFuture<Long> scrub(List<MapValue> chunks, List<byte[]> passes);
    }

    /**
     * Holds the collector thread while {@code work} runs on {@code volumeThreads}, and runs the
     * overwrites {@code work} asks for on it. While it is held neither the reaper nor the cleaner
     * runs: a released chunk's record keeps naming where it lies, and no chunk the work will
     * release is moved (leaving a copy behind) between the start and the overwrite.
     */
    public CompletableFuture<Void> exclusively(Function<Scrubs, CompletableFuture<Void>> work, Executor volumeThreads) {
        BlockingQueue<Runnable> jobs = new LinkedBlockingQueue<>();
        CompletableFuture<Void> started = new CompletableFuture<>();
        CompletableFuture<Void> done = started.thenComposeAsync(ignored -> work.apply((chunks, passes) -> {
            CompletableFuture<Long> result = new CompletableFuture<>();
            jobs.add(() -> {
                try {
                    result.complete(overwrite(chunks, passes));
                } catch (RuntimeException e) {
                    result.completeExceptionally(e);
                }
            });
            return result;
        }), volumeThreads);
        CompletableFuture<Void> held = collector.get().submit(() -> {
            started.complete(null);
            runJobs(jobs, done);
            return null;
        });
        return done.thenCombine(held, (a, b) -> null);
    }

    private static void runJobs(BlockingQueue<Runnable> jobs, CompletableFuture<Void> done) {
        try {
            while (!done.isDone() || !jobs.isEmpty()) {
                Runnable job = jobs.poll(POLL_MILLIS, TimeUnit.MILLISECONDS);
                if (job != null) {
                    job.run();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while holding the collector for a sanitize", e);
        }
    }

    private long overwrite(List<MapValue> chunks, List<byte[]> passes) {
        List<Region> regions = regions(chunks);
        LOG.debug("overwriting {} records of {} released chunks, {} pass(es)", regions.size(), chunks.size(), passes.size());
        Set<BackendDisk> touched = new LinkedHashSet<>();
        for (byte[] pass : passes) {
            for (Region region : regions) {
                ByteBuf buf = region.disk.read(region.segment, region.start, region.length).join();
                for (int i = 0; i < region.recordLength; i++) {
                    buf.setByte(region.recordAt + i, pass[i % pass.length]);
                }
                region.disk.write(region.segment, region.start, buf).join();
                touched.add(region.disk);
            }
            touched.forEach(disk -> disk.flush().join());
        }
        return regions.size();
    }

    /** The records of the unreferenced chunks among {@code chunks} that can be overwritten safely. */
    private List<Region> regions(List<MapValue> chunks) {
        Map<Long, MapValue> distinct = new LinkedHashMap<>();
        chunks.forEach(v -> distinct.putIfAbsent(v.chunkId(), v));
        List<byte[]> keys = new ArrayList<>();
        distinct.keySet().forEach(id -> keys.add(ChunkKey.encode(id)));
        List<byte[]> records = store.multiGetRaw(Schema.CHUNK, keys);
        List<byte[]> counts = store.multiGetRaw(Schema.REFCOUNT, keys);
        List<Region> regions = new ArrayList<>();
        int i = 0;
        for (MapValue value : distinct.values()) {
            byte[] raw = records.get(i);
            byte[] count = counts.get(i++);
            if (raw != null && Counters.references(count) > 0) {
                continue;
            }
            Placement current = raw == null ? null : ValueCodecs.CHUNK.decode(raw).placement();
            if (current != null) {
                add(regions, value.chunkId(), current, true);
            }
            if (value.hint() != null && !value.hint().equals(current)) {
                add(regions, value.chunkId(), value.hint(), false);
            }
        }
        return regions;
    }

    /**
     * Adds the record of {@code chunkId} at {@code at} when it is still there. A chunk's current
     * placement lies in an allocated segment behind its append point, and a sanitize that cannot
     * reach it fails; an older copy is only touched in a sealed segment (a free or reopened one
     * may be appended to at any moment, and will be overwritten by those appends).
     */
    private void add(List<Region> regions, long chunkId, Placement at, boolean current) {
        BackendDisk disk = disks.apply(at.diskId());
        SegmentState state = store.get(Schema.SEGMENT, new SegmentKey(at.diskId(), at.segment()));
        boolean safe = state == SegmentState.SEALED || (current && state == SegmentState.OPEN);
        if (disk == null || !safe) {
            if (current) {
                throw new BlockIoException(SenseCode.WRITE_ERROR, "chunk " + chunkId + " at " + at + " cannot be overwritten");
            }
            return;
        }
        int blockSize = disk.deviceBlockSize();
        int start = at.offset() / blockSize * blockSize;
        int length = disk.roundUp(at.offset() + at.length() - start);
        ByteBuf buf = disk.read(at.segment(), start, length).join();
        try {
            ChunkFormat.Header header = ChunkFormat.header(buf, at.offset() - start);
            if (header != null && header.chunkId() == chunkId) {
                regions.add(new Region(disk, at.segment(), start, length, at.offset() - start,
                        Math.min(header.recordLength(), at.length())));
            }
        } finally {
            buf.release();
        }
    }
}
