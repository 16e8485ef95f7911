package dev.quarry.volume.thin;

import dev.quarry.volume.chunk.ChunkFormat;
import dev.quarry.volume.chunk.ChunkWriter;
import dev.quarry.volume.commit.Committer;
import dev.quarry.volume.commit.Mutation;
import dev.quarry.volume.commit.Retention;
import dev.quarry.volume.disk.TierClass;
import dev.quarry.volume.map.MapValue;
import dev.quarry.volume.pool.Pool;
import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The block engine of one thin volume, in 4 KiB blocks: reads through the block map and the
 * chunk reader, writes by appending chunk records and submitting one mutation per piece of up to
 * {@link Blocks#MUTATION_BLOCKS} blocks (so such writes are atomic), frees all-zero blocks
 * instead of storing them, unmaps ranges by walking only their mapped blocks. At the pool's hard limit, a
 * write whose blocks are all mapped already is an overwrite ({@link Pool.Purpose#REPLACE}) and
 * still admitted.
 *
 * <p>Thread-safe, but callers hold the extent lock of the blocks and call from a volume thread.
 */
final class VolumeIo {

    private static final Logger LOG = LoggerFactory.getLogger(VolumeIo.class);

    /**
     * Cached writes acknowledged while their data write is under way, at most, over the volume
     * manager: beyond, writes are acknowledged once their data is written (bounds the memory
     * the window holds: one encoded group each).
     */
    static final int WRITE_BACK_LIMIT = 64;

    /**
     * A small write started on the caller's thread.
     *
     * @param acknowledged when the host may be told it is done
     * @param done when it is done (its data written and its mapping submitted): the extent lease
     *             must be held until then; later than {@code acknowledged} for a cached write
     *             acknowledged in the write-back window
     */
    record InlineWrite(CompletableFuture<Void> acknowledged, CompletableFuture<Void> done) {
    }

    /** Blocks per mutation of a range operation (UNMAP, WRITE SAME): such ranges need not be atomic. */
    private static final int RANGE_MUTATION_BLOCKS = Blocks.MUTATION_BLOCKS * 16;

    private final VolumeContext context;
    private final int volumeId;
    private final Supplier<Pool> pool;
    private final Supplier<TierClass> tier;
    private final Supplier<Retention> retention;

    VolumeIo(VolumeContext context, int volumeId, Supplier<Pool> pool, Supplier<TierClass> tier, Supplier<Retention> retention) {
        this.context = context;
        this.volumeId = volumeId;
        this.pool = pool;
        this.tier = tier;
        this.retention = retention;
    }

    /** A new mutation of this volume, stamped with its current epoch and snapshot pins. */
    Mutation mutation(boolean durable) {
        return new Mutation(volumeId, durable, retention.get());
    }

    /** Reads {@code count} blocks from {@code first}; the buffer belongs to the caller. */
    CompletableFuture<ByteBuf> readBlocks(long first, int count) {
        return readMapped(first, context.blockMap().lookup(volumeId, first, count));
    }

    /**
     * Reads {@code count} blocks without blocking when all their mappings are in the overlay or
     * the cache (so no hop to a volume thread is needed); null otherwise.
     */
    CompletableFuture<ByteBuf> tryReadInline(long first, int count) {
        MapValue[] values = context.blockMap().lookupCached(volumeId, first, count);
        return values == null ? null : readMapped(first, values);
    }

    private CompletableFuture<ByteBuf> readMapped(long first, MapValue[] values) {
        List<long[]> fixes = Collections.synchronizedList(new ArrayList<>());
        List<MapValue> fixed = Collections.synchronizedList(new ArrayList<>());
        return context.reader().read(values, Blocks.BLOCK_BYTES, (index, corrected) -> {
            fixes.add(new long[] {first + index});
            fixed.add(corrected);
        }).thenApply(buf -> {
            if (!fixes.isEmpty()) {
                Mutation m = mutation(false);
                for (int i = 0; i < fixes.size(); i++) {
                    m.fixHint(fixes.get(i)[0], fixed.get(i));
                }
                context.committer().submit(m);
            }
            return buf;
        });
    }

    /**
     * Writes whole blocks from {@code data} (borrowed; valid until this method returns) at
     * {@code first}. The future completes when the write is acknowledged: at once for cached
     * writes, after its commit when {@code durable} or while the overlay is full.
     */
    CompletableFuture<Void> writeBlocks(long first, ByteBuf data, boolean durable) {
        int count = data.readableBytes() / Blocks.BLOCK_BYTES;
        List<CompletableFuture<Void>> acks = new ArrayList<>();
        CompletableFuture<Void> chain = CompletableFuture.completedFuture(null);
        for (int done = 0; done < count; done += Blocks.MUTATION_BLOCKS) {
            int n = Math.min(Blocks.MUTATION_BLOCKS, count - done);
            long at = first + done;
            ByteBuf piece = data.retainedSlice(data.readerIndex() + done * Blocks.BLOCK_BYTES, n * Blocks.BLOCK_BYTES);
            chain = chain.handle((ignored, failure) -> {
                if (failure != null) {
                    piece.release();
                    return CompletableFuture.<Void>failedFuture(failure);
                }
                try {
                    return writePiece(at, piece, durable).thenApply(ack -> {
                        acks.add(ack);
                        return (Void) null;
                    });
                } finally {
                    piece.release();
                }
            }).thenCompose(f -> f);
        }
        return chain.thenCompose(ignored -> CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)));
    }

    /**
     * Writes up to {@link Blocks#APPEND_BLOCKS} whole blocks without blocking, so that a small
     * write needs no hop to a volume thread; null (nothing done) when that would need RocksDB.
     * {@code data} is borrowed until this method returns.
     *
     * <p>A cached write is acknowledged as soon as its data write is under way, in the
     * write-back window: its chunk records are encoded (a copy of the data) and handed to a disk
     * thread, and the committer was told to expect its mutation, so a flush waits for it. The
     * host then needs no hop back from the disk thread. Only pools whose disks all write locally
     * take part: a remote disk's failure must reach the host with its write. The caller keeps
     * the extent lease until {@link InlineWrite#done()}, so a read or write of the same blocks
     * waits for the mapping.
     */
    InlineWrite tryWriteInline(long first, ByteBuf data, boolean durable) {
        int count = data.readableBytes() / Blocks.BLOCK_BYTES;
        if (count == 0 || count > Blocks.APPEND_BLOCKS) {
            return null;
        }
        boolean[] zero = new boolean[count];
        List<ByteBuf> payloads = dataBlocks(data, zero);
        Pool target = pool.get();
        List<CompletableFuture<ChunkWriter.Appended>> appends = new ArrayList<>();
        EarlyAck early = null;
        if (!payloads.isEmpty()) {
            CompletableFuture<ChunkWriter.Appended> append = context.writer().tryAppend(target, tier.get(), payloads);
            if (append == null) {
                return null;
            }
            appends.add(append);
            long ticket = durable || !target.localWrites() ? -1 : context.committer().tryAnnounce(WRITE_BACK_LIMIT);
            early = ticket < 0 ? null : new EarlyAck(ticket);
        }
        CompletableFuture<Void> done = finish(first, zero, appends, target, durable, early).thenCompose(ack -> ack);
        boolean acknowledgedEarly = early != null && early.acknowledge();
        return new InlineWrite(acknowledgedEarly ? CompletableFuture.completedFuture(null) : done, done);
    }

    /** Appends the non-zero blocks of one piece and submits its mutation; yields the acknowledgement future. */
    private CompletableFuture<CompletableFuture<Void>> writePiece(long first, ByteBuf piece, boolean durable) {
        int count = piece.readableBytes() / Blocks.BLOCK_BYTES;
        boolean[] zero = new boolean[count];
        List<ByteBuf> payloads = dataBlocks(piece, zero);
        List<CompletableFuture<ChunkWriter.Appended>> appends = new ArrayList<>();
        Pool target = pool.get();
        Pool.Purpose purpose = purpose(target, first, zero, payloads.size());
        for (int g = 0; g < payloads.size(); g += Blocks.APPEND_BLOCKS) {
            List<ByteBuf> group = payloads.subList(g, Math.min(payloads.size(), g + Blocks.APPEND_BLOCKS));
            appends.add(context.writer().append(target, tier.get(), group, purpose));
        }
        return finish(first, zero, appends, target, durable, null);
    }

    /**
     * HOST, or REPLACE when {@code chunks} new records would pass the pool's hard limit but every
     * non-zero block of the piece is mapped already (an overwrite: live bytes come back once the
     * reaper frees the old chunks). Reads the map only at the limit.
     */
    private Pool.Purpose purpose(Pool target, long first, boolean[] zero, int chunks) {
        if (!target.exceedsLimit(chunks * ChunkFormat.recordLength(Blocks.BLOCK_BYTES), Pool.Purpose.HOST)) {
            return Pool.Purpose.HOST;
        }
        MapValue[] current = context.blockMap().lookup(volumeId, first, zero.length);
        for (int i = 0; i < zero.length; i++) {
            if (!zero[i] && current[i] == null) {
                return Pool.Purpose.HOST;
            }
        }
        return Pool.Purpose.REPLACE;
    }

    /** Slices of the blocks of {@code buf} that are not all zero; marks the zero ones in {@code zero}. */
    private static List<ByteBuf> dataBlocks(ByteBuf buf, boolean[] zero) {
        List<ByteBuf> payloads = new ArrayList<>();
        for (int i = 0; i < zero.length; i++) {
            int at = buf.readerIndex() + i * Blocks.BLOCK_BYTES;
            zero[i] = Blocks.isZero(buf, at);
            if (!zero[i]) {
                payloads.add(buf.slice(at, Blocks.BLOCK_BYTES));
            }
        }
        return payloads;
    }

    /**
     * Once the appends are written: one mutation mapping them (and unmapping the zero blocks),
     * submitted with the ticket of {@code early} when the write was announced. A write that fails
     * after its early acknowledgement withdraws its ticket as lost (the next flush fails).
     */
    private CompletableFuture<CompletableFuture<Void>> finish(long first, boolean[] zero,
                                                              List<CompletableFuture<ChunkWriter.Appended>> appends,
                                                              Pool target, boolean durable, EarlyAck early) {
        return CompletableFuture.allOf(appends.toArray(CompletableFuture[]::new)).handle((ok, failure) -> {
            if (failure != null) {
                abandon(target, appends);
                withdraw(early, first, failure);
                throw failure instanceof CompletionException c ? c : new CompletionException(failure);
            }
            Mutation m;
            try {
                m = mapping(first, zero, appends, durable);
            } catch (RuntimeException e) {
                abandon(target, appends);
                withdraw(early, first, e);
                throw e;
            }
            Committer committer = context.committer();
            CompletableFuture<Void> committed = early != null ? committer.submit(m, early.ticket()) : committer.submit(m);
            appends.forEach(a -> target.appendDone(a.join().allocation()));
            return durable || early == null && committer.backlogged() ? committed : CompletableFuture.completedFuture(null);
        });
    }

    /** The mutation mapping the written appends in order, and unmapping the zero blocks. */
    private Mutation mapping(long first, boolean[] zero, List<CompletableFuture<ChunkWriter.Appended>> appends, boolean durable) {
        Mutation m = mutation(durable);
        List<ChunkWriter.Stored> stored = new ArrayList<>();
        for (CompletableFuture<ChunkWriter.Appended> a : appends) {
            ChunkWriter.Appended appended = a.join();
            for (ChunkWriter.Stored s : appended.records()) {
                m.chunk(s.chunkId(), s.record(), appended.disk());
                stored.add(s);
            }
        }
        int next = 0;
        for (int i = 0; i < zero.length; i++) {
            if (zero[i]) {
                m.unmap(first + i);
            } else {
                ChunkWriter.Stored s = stored.get(next++);
                m.map(first + i, new MapValue(s.chunkId(), s.record().placement()));
            }
        }
        return m;
    }

    /** Retires the ticket of a failed announced write; lost when it had been acknowledged. */
    private void withdraw(EarlyAck early, long first, Throwable failure) {
        if (early == null) {
            return;
        }
        boolean lost = early.failedAfterAcknowledgement();
        if (lost) {
            LOG.error("volume #{}: a cached write from block {} acknowledged in the write-back window was lost;"
                    + " the next flush fails", volumeId, first, failure);
        }
        context.committer().withdraw(early.ticket(), lost);
    }

    /** Returns the space of appends that succeeded when their piece failed as a whole. */
    private static void abandon(Pool target, List<CompletableFuture<ChunkWriter.Appended>> appends) {
        for (CompletableFuture<ChunkWriter.Appended> a : appends) {
            if (a.isDone() && !a.isCompletedExceptionally()) {
                ChunkWriter.Appended appended = a.join();
                target.unreserve(appended.allocation().liveBytes());
                target.appendDone(appended.allocation());
            }
        }
    }

    /** Unmaps the mapped blocks in [from, to); acknowledged like a cached write. */
    CompletableFuture<Void> unmapBlocks(long from, long to) {
        List<Long> mapped = new ArrayList<>();
        context.blockMap().forEachMapped(volumeId, from, to, (block, value) -> {
            mapped.add(block);
            return true;
        });
        List<CompletableFuture<Void>> acks = new ArrayList<>();
        for (int i = 0; i < mapped.size(); i += RANGE_MUTATION_BLOCKS) {
            Mutation m = mutation(false);
            for (long block : mapped.subList(i, Math.min(mapped.size(), i + RANGE_MUTATION_BLOCKS))) {
                m.unmap(block);
            }
            CompletableFuture<Void> committed = context.committer().submit(m);
            if (context.committer().backlogged()) {
                acks.add(committed);
            }
        }
        return CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new));
    }
}
