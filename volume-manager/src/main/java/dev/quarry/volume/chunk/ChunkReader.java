package dev.quarry.volume.chunk;

import dev.quarry.volume.disk.BackendDisk;
import dev.quarry.volume.disk.DiskHealth;
import dev.quarry.volume.map.MapValue;
import dev.quarry.volume.meta.schema.ChunkKey;
import dev.quarry.volume.meta.schema.Schema;
import dev.quarry.volume.meta.store.MetadataStore;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;

/**
 * Reads the chunks of a run of blocks: trusts each block-map hint, coalesces records that lie
 * next to each other on the same segment into one device read, verifies each record's header
 * (magic, chunk id, CRC32C) and hands the payloads out as slices of the device reads, without a
 * copy. A record that fails the checks at its hint pays one chunk-record lookup and a read at the
 * true placement, and the caller is told the corrected hint; if it fails there too, the block is
 * bad ({@link BadChunkException}).
 *
 * <p>Thread-safe. The slow path runs on {@code executor} (it blocks in RocksDB).
 */
public final class ChunkReader {

    /** Most bytes one coalesced device read covers. */
    private static final int MAX_SPAN = 1 << 20;

    /** Told of hints found stale, so the volume can fix them lazily. */
    @FunctionalInterface
    public interface HintFixer {
        void fix(int index, MapValue corrected);
    }

    private record Run(BackendDisk disk, int segment, int start, int end, List<Integer> indexes) {
    }

    private final DiskDirectory disks;
    private final MetadataStore store;
    private final Executor executor;
    private final DiskHealth health;

    public ChunkReader(DiskDirectory disks, MetadataStore store, Executor executor, DiskHealth health) {
        this.disks = disks;
        this.store = store;
        this.executor = executor;
        this.health = health;
    }

    /**
     * Reads the blocks mapped by {@code values} (null: unmapped, reads as zeroes) into one buffer of
     * {@code values.length * blockBytes} bytes owned by the caller (writable). The payloads are not
     * copied: the buffer is made of slices of the device reads (a composite when there is more
     * than one piece), with fresh zeroed buffers for unmapped runs.
     */
    public CompletableFuture<ByteBuf> read(MapValue[] values, int blockBytes, HintFixer fixer) {
        ByteBuf[] payloads = new ByteBuf[values.length];
        List<CompletableFuture<Void>> reads = new ArrayList<>();
        for (Run run : runs(values)) {
            reads.add(readRun(run, values, blockBytes, payloads, fixer));
        }
        if (reads.isEmpty()) {
            return CompletableFuture.completedFuture(assemble(payloads, blockBytes));
        }
        return CompletableFuture.allOf(reads.toArray(CompletableFuture[]::new)).handle((ok, failure) -> {
            if (failure != null) {
                for (ByteBuf p : payloads) {
                    if (p != null) {
                        p.release();
                    }
                }
                throw failure instanceof CompletionException c ? c : new CompletionException(failure);
            }
            return assemble(payloads, blockBytes);
        });
    }

    /** The payloads in order, zeroes for the missing ones; takes ownership of the payloads. */
    private static ByteBuf assemble(ByteBuf[] payloads, int blockBytes) {
        if (payloads.length == 1 && payloads[0] != null) {
            return payloads[0];
        }
        CompositeByteBuf out = ByteBufAllocator.DEFAULT.compositeDirectBuffer(payloads.length);
        int i = 0;
        while (i < payloads.length) {
            if (payloads[i] != null) {
                out.addComponent(true, payloads[i++]);
                continue;
            }
            int zeroes = 0;
            while (i < payloads.length && payloads[i] == null) {
                zeroes++;
                i++;
            }
            out.addComponent(true, ByteBufAllocator.DEFAULT.directBuffer(zeroes * blockBytes).writeZero(zeroes * blockBytes));
        }
        return out;
    }

    private List<Run> runs(MapValue[] values) {
        List<Run> runs = new ArrayList<>();
        Run current = null;
        for (int i = 0; i < values.length; i++) {
            MapValue v = values[i];
            if (v == null) {
                continue;
            }
            Placement p = v.hint();
            int end = p.offset() + p.length();
            if (current != null && current.disk.id() == p.diskId() && current.segment == p.segment()
                    && p.offset() >= current.end && p.offset() - current.end < 4096 && end - current.start <= MAX_SPAN) {
                current.indexes.add(i);
                current = new Run(current.disk, current.segment, current.start, end, current.indexes);
                runs.set(runs.size() - 1, current);
                continue;
            }
            List<Integer> indexes = new ArrayList<>();
            indexes.add(i);
            current = new Run(disks.disk(p.diskId()), p.segment(), p.offset(), end, indexes);
            runs.add(current);
        }
        return runs;
    }

    private CompletableFuture<Void> readRun(Run run, MapValue[] values, int blockBytes, ByteBuf[] out, HintFixer fixer) {
        if (run.disk == null) {
            return slowPath(run, values, blockBytes, out, fixer);
        }
        return run.disk.read(run.segment, run.start, run.end - run.start).handle((buf, failure) -> {
            if (failure != null) {
                health.failed(run.disk, failure);
                throw new BadChunkException(run.indexes.get(0), "read of disk " + run.disk.id() + " failed", failure);
            }
            List<Integer> stale = new ArrayList<>();
            try {
                for (int i : run.indexes) {
                    MapValue v = values[i];
                    if (!sliceIfIntact(buf, v.hint().offset() - run.start, v.chunkId(), out, i, blockBytes)) {
                        stale.add(i);
                    }
                }
            } finally {
                buf.release();
            }
            return stale;
        }).thenCompose(stale -> stale.isEmpty() ? CompletableFuture.completedFuture(null)
                : slowPath(new Run(null, 0, 0, 0, stale), values, blockBytes, out, fixer));
    }

    /** Looks up the chunk records of blocks whose hint was stale and reads them where they are. */
    private CompletableFuture<Void> slowPath(Run run, MapValue[] values, int blockBytes, ByteBuf[] out, HintFixer fixer) {
        List<CompletableFuture<Void>> reads = new ArrayList<>();
        for (int i : run.indexes) {
            MapValue v = values[i];
            reads.add(CompletableFuture.supplyAsync(() -> store.get(Schema.CHUNK, new ChunkKey(v.chunkId())), executor)
                    .thenCompose(record -> readAt(i, v, record, blockBytes, out, fixer)));
        }
        return CompletableFuture.allOf(reads.toArray(CompletableFuture[]::new));
    }

    private CompletableFuture<Void> readAt(int index, MapValue v, ChunkRecord record, int blockBytes, ByteBuf[] out,
                                           HintFixer fixer) {
        if (record == null) {
            throw new BadChunkException(index, "chunk " + v.chunkId() + " has no record", null);
        }
        Placement p = record.placement();
        BackendDisk disk = disks.disk(p.diskId());
        if (disk == null) {
            throw new BadChunkException(index, "chunk " + v.chunkId() + " lies on missing disk " + p.diskId(), null);
        }
        return disk.read(p.segment(), p.offset(), p.length()).handle((buf, failure) -> {
            if (failure != null) {
                health.failed(disk, failure);
                throw new BadChunkException(index, "read of disk " + disk.id() + " failed", failure);
            }
            try {
                if (!sliceIfIntact(buf, 0, v.chunkId(), out, index, blockBytes)) {
                    throw new BadChunkException(index, "chunk " + v.chunkId() + " at " + p + " fails its checksum", null);
                }
            } finally {
                buf.release();
            }
            if (!p.equals(v.hint())) {
                fixer.fix(index, v.withHint(p));
            }
            return null;
        });
    }

    /**
     * Verifies the record at {@code at} of {@code buf} (borrowed) and keeps a retained slice of its
     * payload in {@code out[index]}; false when it is not the expected, intact record. Runs on
     * disk threads; each index is written by one run only.
     */
    private static boolean sliceIfIntact(ByteBuf buf, int at, long chunkId, ByteBuf[] out, int index, int blockBytes) {
        ChunkFormat.Header header = ChunkFormat.header(buf, buf.readerIndex() + at);
        if (header == null || header.chunkId() != chunkId || header.codec() != ChunkFormat.CODEC_RAW
                || header.storedLength() != blockBytes || !ChunkFormat.verify(buf, buf.readerIndex() + at, header)) {
            return false;
        }
        out[index] = buf.retainedSlice(buf.readerIndex() + at + ChunkFormat.HEADER_BYTES, blockBytes);
        return true;
    }
}
