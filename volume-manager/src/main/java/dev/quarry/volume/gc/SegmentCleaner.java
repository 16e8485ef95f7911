package dev.quarry.volume.gc;

import dev.quarry.volume.chunk.ChunkFormat;
import dev.quarry.volume.chunk.ChunkRecord;
import dev.quarry.volume.chunk.ChunkWriter;
import dev.quarry.volume.chunk.Placement;
import dev.quarry.volume.disk.BackendDisk;
import dev.quarry.volume.meta.schema.ChunkKey;
import dev.quarry.volume.meta.schema.Counters;
import dev.quarry.volume.meta.schema.Schema;
import dev.quarry.volume.meta.schema.SegmentKey;
import dev.quarry.volume.meta.store.Batch;
import dev.quarry.volume.meta.store.MetadataStore;
import dev.quarry.volume.pool.Pool;
import dev.quarry.volume.segment.SegmentScanner;
import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Empties one sealed segment while I/O goes on: walks its records on disk, keeps those whose
 * chunk record still points at them (live), appends copies to the pool's cleaner segments, syncs
 * them, then in one synced batch per group points the chunk records at the copies and moves the
 * live bytes. Block-map hints keep naming the old place and are fixed lazily by reads; the old
 * copy stays intact until the segment is reused. When the segment's live count reaches zero it is
 * freed. Runs on the collector thread, never concurrently with the reaper.
 *
 * <p>Not thread-safe: confined to the collector thread. Blocks on disk and RocksDB.
 */
public final class SegmentCleaner {

    private static final Logger LOG = LoggerFactory.getLogger(SegmentCleaner.class);
    private static final int GROUP = 64;

    private record Live(long chunkId, ChunkRecord record, ByteBuf payload) {
    }

    private final MetadataStore store;
    private final ChunkWriter writer;

    public SegmentCleaner(MetadataStore store, ChunkWriter writer) {
        this.store = store;
        this.writer = writer;
    }

    /**
     * Relocates the live chunks of a segment and frees it when nothing live remains; returns
     * whether it was freed. {@code progress} receives the bytes relocated, group by group.
     */
    public boolean clean(Pool pool, BackendDisk disk, int segment, LongConsumer progress) {
        List<Live> live = new ArrayList<>();
        try {
            SegmentScanner.scan(disk, segment, disk.record().segmentSize(), (offset, header, intact, buf, at) -> {
                if (!intact) {
                    return;
                }
                ChunkRecord record = store.get(Schema.CHUNK, new ChunkKey(header.chunkId()));
                if (record != null && record.placement().in(disk.id(), segment) && record.placement().offset() == offset) {
                    ByteBuf payload = buf.copy(at + ChunkFormat.HEADER_BYTES, header.storedLength());
                    live.add(new Live(header.chunkId(), record, payload));
                    if (live.size() == GROUP) {
                        relocate(pool, disk, live, progress);
                    }
                }
            });
            relocate(pool, disk, live, progress);
        } finally {
            live.forEach(l -> l.payload.release());
        }
        return freeIfEmpty(disk, segment, pool);
    }

    /** Frees a segment whose live count is zero; returns whether it did. */
    public boolean freeIfEmpty(BackendDisk disk, int segment, Pool pool) {
        SegmentKey key = new SegmentKey(disk.id(), segment);
        long remaining = Counters.decode(store.getRaw(Schema.SEGMENT_LIVE, key.encode()));
        if (remaining != 0) {
            LOG.warn("segment {} of disk {} still counts {} live bytes after cleaning; left allocated for fsck",
                    segment, disk.id(), remaining);
            return false;
        }
        try (Batch batch = store.batch()) {
            batch.delete(Schema.SEGMENT, key);
            batch.delete(Schema.SEGMENT_LIVE, key);
            store.write(batch, true);
        }
        pool.releaseSegment(disk, segment);
        return true;
    }

    private void relocate(Pool pool, BackendDisk from, List<Live> live, LongConsumer progress) {
        if (live.isEmpty()) {
            return;
        }
        List<ByteBuf> payloads = new ArrayList<>();
        long[] ids = new long[live.size()];
        for (int i = 0; i < live.size(); i++) {
            payloads.add(live.get(i).payload);
            ids[i] = live.get(i).chunkId;
        }
        ChunkWriter.Appended appended = writer.append(pool, from.record().tier(), payloads, ids, Pool.Purpose.CLEANER).join();
        try {
            appended.disk().flush().join();
            long moved = 0;
            try (Batch batch = store.batch()) {
                for (int i = 0; i < live.size(); i++) {
                    Live l = live.get(i);
                    Placement old = l.record.placement();
                    Placement copy = appended.records().get(i).record().placement();
                    batch.put(Schema.CHUNK, new ChunkKey(l.chunkId), l.record.withPlacement(copy));
                    batch.add(Schema.SEGMENT_LIVE, new SegmentKey(old.diskId(), old.segment()), -old.length());
                    batch.add(Schema.SEGMENT_LIVE, new SegmentKey(copy.diskId(), copy.segment()), copy.length());
                    moved += copy.length();
                }
                store.write(batch, true);
            }
            from.addLive(-moved);
            appended.disk().addLive(moved);
            pool.addUsed(-moved);
            progress.accept(moved);
        } finally {
            pool.appendDone(appended.allocation());
            live.forEach(l -> l.payload.release());
            live.clear();
        }
    }
}
