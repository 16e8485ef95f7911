package dev.quarry.volume.fsck;

import dev.quarry.volume.chunk.ChunkFormat;
import dev.quarry.volume.chunk.ChunkRecord;
import dev.quarry.volume.chunk.DiskDirectory;
import dev.quarry.volume.chunk.Placement;
import dev.quarry.volume.disk.BackendDisk;
import dev.quarry.volume.fsck.FsckReport.Kind;
import dev.quarry.volume.fsck.FsckReport.Problem;
import dev.quarry.volume.map.MapValue;
import dev.quarry.volume.meta.schema.BlockMapKey;
import dev.quarry.volume.meta.schema.ChunkKey;
import dev.quarry.volume.meta.schema.Counters;
import dev.quarry.volume.meta.schema.IdKey;
import dev.quarry.volume.meta.schema.Schema;
import dev.quarry.volume.meta.schema.SegmentKey;
import dev.quarry.volume.meta.schema.ValueCodecs;
import dev.quarry.volume.meta.store.Cursor;
import dev.quarry.volume.meta.store.MetadataStore;
import dev.quarry.volume.meta.store.ReadView;
import dev.quarry.volume.thin.VolumeRecord;
import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks that the block maps (heads and the versions kept for snapshots), chunk records, reference
 * counts, segment live counts, volume and snapshot usage counters and the chunk headers on disk agree (the appliance's {@code quarry fsck}). Reads one
 * RocksDB snapshot, so concurrent commits do not confuse it; run it with the garbage collector
 * idle (the manager does). Keeps one counter per chunk in memory: about 50 bytes per chunk.
 *
 * <p>Not thread-safe: one run per instance. Blocks on RocksDB and disk reads.
 */
public final class Fsck {

    private static final int MAX_PROBLEMS = 10_000;

    private final MetadataStore store;
    private final DiskDirectory disks;
    private final List<Problem> problems = new ArrayList<>();
    private final Map<Long, Integer> references = new HashMap<>();
    private final Map<Integer, Long> mappedPerVolume = new HashMap<>();
    private final Map<Integer, Long> keptPerVolume = new HashMap<>();
    private final Map<SegmentKey, Long> livePerSegment = new HashMap<>();
    private long mapped;
    private long staleHints;
    private long chunks;

    public Fsck(MetadataStore store, DiskDirectory disks) {
        this.store = store;
        this.disks = disks;
    }

    public FsckReport run() {
        try (ReadView view = store.view()) {
            Map<Integer, VolumeRecord> volumes = volumes(view);
            checkMaps(view, volumes);
            Set<Long> pending = pendingFree(view);
            checkChunks(view, pending);
            checkRefcounts(view);
            long segments = checkSegments(view);
            checkUsage(view, volumes);
            return new FsckReport(List.copyOf(problems), volumes.size(), mapped, chunks, segments, staleHints);
        }
    }

    private Map<Integer, VolumeRecord> volumes(ReadView view) {
        Map<Integer, VolumeRecord> volumes = new HashMap<>();
        try (Cursor c = view.cursor(Schema.VOLUME, new byte[0], null)) {
            for (; c.valid(); c.next()) {
                VolumeRecord v = ValueCodecs.VOLUME.decode(c.value());
                volumes.put(v.id(), v);
            }
        }
        return volumes;
    }

    private void checkMaps(ReadView view, Map<Integer, VolumeRecord> volumes) {
        try (Cursor c = view.cursor(Schema.BLOCK_MAP, new byte[0], null)) {
            for (; c.valid(); c.next()) {
                byte[] key = c.key();
                int volumeId = BlockMapKey.volumeOf(key);
                long block = BlockMapKey.blockOf(key);
                String where = "volume " + volumeId + " block " + block;
                VolumeRecord volume = volumes.get(volumeId);
                if (volume == null) {
                    problem(Kind.MAP_ENTRY_OF_UNKNOWN_VOLUME, where, "no volume definition");
                    continue;
                }
                if (block >= volume.sizeBytes() / 4096) {
                    problem(Kind.MAP_ENTRY_BEYOND_CAPACITY, where, "volume has " + volume.sizeBytes() / 4096 + " blocks");
                }
                MapValue value;
                try {
                    value = ValueCodecs.MAP_VALUE.decode(c.value());
                } catch (IllegalArgumentException e) {
                    problem(Kind.MAP_VALUE_UNREADABLE, where, e.getMessage());
                    continue;
                }
                if (BlockMapKey.isHead(key)) {
                    mapped++;
                    mappedPerVolume.merge(volumeId, 1L, Long::sum);
                } else {
                    keptPerVolume.merge(volumeId, 1L, Long::sum);
                }
                references.merge(value.chunkId(), 1, Integer::sum);
                ChunkRecord chunk = view.get(Schema.CHUNK, new ChunkKey(value.chunkId()));
                if (chunk == null) {
                    problem(Kind.MAP_TO_MISSING_CHUNK, where, "chunk " + value.chunkId() + " has no record");
                } else if (!chunk.placement().equals(value.hint())) {
                    staleHints++;
                }
            }
        }
    }

    private Set<Long> pendingFree(ReadView view) {
        Set<Long> pending = new HashSet<>();
        try (Cursor c = view.cursor(Schema.PENDING_FREE, new byte[0], null)) {
            for (; c.valid(); c.next()) {
                pending.add(ChunkKey.decode(c.key()));
            }
        }
        return pending;
    }

    private void checkChunks(ReadView view, Set<Long> pending) {
        try (Cursor c = view.cursor(Schema.CHUNK, new byte[0], null)) {
            for (; c.valid(); c.next()) {
                long id = ChunkKey.decode(c.key());
                ChunkRecord record = ValueCodecs.CHUNK.decode(c.value());
                chunks++;
                String where = "chunk " + id;
                int refs = references.getOrDefault(id, 0);
                long count = Counters.references(view.getRaw(Schema.REFCOUNT, c.key()));
                if (count != refs && !(refs == 0 && count == 0)) {
                    problem(Kind.REFCOUNT_MISMATCH, where, "count " + count + ", map references " + refs);
                } else if (refs == 0 && !pending.contains(id)) {
                    problem(Kind.LEAKED_CHUNK, where, "no map references it and the reaper does not list it");
                }
                Placement p = record.placement();
                livePerSegment.merge(new SegmentKey(p.diskId(), p.segment()), (long) p.length(), Long::sum);
                checkHeader(view, id, record);
            }
        }
    }

    private void checkHeader(ReadView view, long id, ChunkRecord record) {
        Placement p = record.placement();
        String where = "chunk " + id + " at " + p;
        BackendDisk disk = disks.disk(p.diskId());
        if (disk == null) {
            problem(Kind.CHUNK_ON_UNKNOWN_DISK, where, "disk " + p.diskId() + " is not attached");
            return;
        }
        if (view.getRaw(Schema.SEGMENT, new SegmentKey(p.diskId(), p.segment()).encode()) == null) {
            problem(Kind.CHUNK_IN_FREE_SEGMENT, where, "segment is not allocated");
        }
        ByteBuf buf;
        try {
            buf = disk.read(p.segment(), p.offset(), p.length()).join();
        } catch (RuntimeException e) {
            problem(Kind.CHUNK_UNREADABLE, where, String.valueOf(e.getMessage()));
            return;
        }
        try {
            ChunkFormat.Header h = ChunkFormat.header(buf, buf.readerIndex());
            if (h == null) {
                problem(Kind.CHUNK_HEADER_MISMATCH, where, "no chunk header there");
            } else if (h.chunkId() != id || h.recordLength() != p.length() || h.checksum() != record.checksum()) {
                problem(Kind.CHUNK_HEADER_MISMATCH, where, "header names chunk " + h.chunkId() + ", length "
                        + h.recordLength() + ", crc " + Integer.toHexString(h.checksum()) + "; record says length "
                        + p.length() + ", crc " + Integer.toHexString(record.checksum()));
            } else if (!ChunkFormat.verify(buf, buf.readerIndex(), h)) {
                problem(Kind.CHUNK_HEADER_MISMATCH, where, "payload fails its CRC32C");
            }
        } finally {
            buf.release();
        }
    }

    private void checkRefcounts(ReadView view) {
        try (Cursor c = view.cursor(Schema.REFCOUNT, new byte[0], null)) {
            for (; c.valid(); c.next()) {
                long count = Counters.references(c.value());
                if (view.getRaw(Schema.CHUNK, c.key()) == null) {
                    problem(Kind.ORPHAN_REFCOUNT, "chunk " + ChunkKey.decode(c.key()), "count " + count + " without a chunk record");
                }
            }
        }
    }

    private long checkSegments(ReadView view) {
        long segments = 0;
        Set<SegmentKey> seen = new HashSet<>();
        try (Cursor c = view.cursor(Schema.SEGMENT, new byte[0], null)) {
            for (; c.valid(); c.next()) {
                SegmentKey key = SegmentKey.CODEC.decode(c.key());
                segments++;
                seen.add(key);
                if (disks.disk(key.diskId()) == null) {
                    problem(Kind.SEGMENT_OF_UNKNOWN_DISK, segmentName(key), "disk is not attached");
                }
                compareLive(view, key);
            }
        }
        livePerSegment.keySet().stream().filter(k -> !seen.contains(k)).forEach(k -> compareLive(view, k));
        try (Cursor c = view.cursor(Schema.SEGMENT_LIVE, new byte[0], null)) {
            for (; c.valid(); c.next()) {
                SegmentKey key = SegmentKey.CODEC.decode(c.key());
                if (!seen.contains(key) && !livePerSegment.containsKey(key) && Counters.decode(c.value()) != 0) {
                    compareLive(view, key);
                }
            }
        }
        return segments;
    }

    private void compareLive(ReadView view, SegmentKey key) {
        long counted = Counters.decode(view.getRaw(Schema.SEGMENT_LIVE, key.encode()));
        long expected = livePerSegment.getOrDefault(key, 0L);
        if (counted != expected) {
            problem(Kind.SEGMENT_LIVE_MISMATCH, segmentName(key), "live count " + counted + ", chunk records add up to " + expected);
        }
    }

    private void checkUsage(ReadView view, Map<Integer, VolumeRecord> volumes) {
        for (int id : volumes.keySet()) {
            long counted = Counters.decode(view.getRaw(Schema.VOLUME_USAGE, new IdKey(id).encode()));
            long expected = mappedPerVolume.getOrDefault(id, 0L);
            if (counted != expected) {
                problem(Kind.VOLUME_USAGE_MISMATCH, "volume " + id, "usage counter " + counted + ", mapped blocks " + expected);
            }
            long kept = Counters.decode(view.getRaw(Schema.SNAPSHOT_USAGE, new IdKey(id).encode()));
            long versions = keptPerVolume.getOrDefault(id, 0L);
            if (kept != versions) {
                problem(Kind.SNAPSHOT_USAGE_MISMATCH, "volume " + id, "snapshot usage counter " + kept + ", kept versions " + versions);
            }
        }
    }

    private static String segmentName(SegmentKey key) {
        return "disk " + key.diskId() + " segment " + key.segment();
    }

    private void problem(Kind kind, String where, String detail) {
        if (problems.size() < MAX_PROBLEMS) {
            problems.add(new Problem(kind, where, detail));
        }
    }
}
