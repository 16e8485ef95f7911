package dev.quarry.volume.chunk;

import dev.quarry.block.BlockIoException;
import dev.quarry.block.SenseCode;
import dev.quarry.volume.disk.BackendDisk;
import dev.quarry.volume.disk.DiskHealth;
import dev.quarry.volume.disk.TierClass;
import dev.quarry.volume.pool.Allocation;
import dev.quarry.volume.pool.Pool;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * Appends chunk records to a pool: encodes the records of one group (contiguous, each with its
 * header and CRC32C) into one pooled direct buffer, reserves space for them in an open segment,
 * and writes them with one device write, padded to whole device blocks. A disk that fails the
 * write is reported to {@link DiskHealth} and the group is retried on another disk; a host group
 * for which the pool has no room waits for the collector ({@link Pool#awaitSpace}) and retries.
 *
 * <p>Thread-safe. {@link #append} may block briefly in RocksDB (segment allocation, id ranges):
 * call it from volume or cleaner threads.
 */
public final class ChunkWriter {

    /**
     * Records written by one append. The caller submits the mutation that maps them, then calls
     * {@link Pool#appendDone(Allocation)} with {@link #allocation()}.
     *
     * @param disk where they lie
     * @param allocation the space they took
     * @param records one record per payload, in order
     */
    public record Appended(BackendDisk disk, Allocation allocation, List<Stored> records) {
    }

    /**
     * One written chunk.
     *
     * @param chunkId its id
     * @param record its record (placement included)
     */
    public record Stored(long chunkId, ChunkRecord record) {
    }

    /**
     * The encoded records of one append on their way to a segment: retried on another disk
     * after a write error, and after a wait for space when the pool had no room.
     */
    private record Group(Pool pool, TierClass tier, Pool.Purpose purpose, ByteBuf records, int recordBytes,
                         List<long[]> encoded, long deadline) {
    }

    private final ChunkIdAllocator ids;
    private final DiskHealth health;
    private final Executor retries;
    private final long spaceWaitNanos;

    /**
     * {@code retries}: a volume executor, where appends that waited for space try again (it may
     * block in RocksDB); {@code spaceWaitNanos}: how long an append waits for the collector.
     */
    public ChunkWriter(ChunkIdAllocator ids, DiskHealth health, Executor retries, long spaceWaitNanos) {
        this.ids = ids;
        this.health = health;
        this.retries = retries;
        this.spaceWaitNanos = spaceWaitNanos;
    }

    /**
     * Writes one record per payload (each borrowed, {@code logicalLength} bytes, raw codec) to
     * {@code pool}. The payloads may be released once this method returns. When the pool has no
     * room, a host append waits (without holding the calling thread) for the collector, at most
     * the configured time; it fails with SPACE_ALLOCATION_FAILED only when live data fills the pool.
     */
    public CompletableFuture<Appended> append(Pool pool, TierClass tier, List<ByteBuf> payloads, Pool.Purpose purpose) {
        return append(pool, tier, payloads, null, purpose);
    }

    /** As {@link #append(Pool, TierClass, List, Pool.Purpose)}, reusing {@code chunkIds} (relocation). */
    public CompletableFuture<Appended> append(Pool pool, TierClass tier, List<ByteBuf> payloads, long[] chunkIds,
                                              Pool.Purpose purpose) {
        int recordBytes = 0;
        for (ByteBuf p : payloads) {
            recordBytes += ChunkFormat.recordLength(p.readableBytes());
        }
        ByteBuf records = ByteBufAllocator.DEFAULT.directBuffer(recordBytes + 4096);
        List<long[]> encoded = new ArrayList<>(payloads.size());
        try {
            long[] idsToUse = chunkIds;
            if (idsToUse == null) {
                idsToUse = new long[payloads.size()];
                for (int i = 0; i < idsToUse.length; i++) {
                    idsToUse[i] = ids.next();
                }
            }
            encode(records, payloads, idsToUse, encoded);
        } catch (RuntimeException e) {
            records.release();
            throw e;
        }
        Group group = new Group(pool, tier, purpose, records, recordBytes, encoded, System.nanoTime() + spaceWaitNanos);
        return attempt(group, pool.disks().size());
    }

    /**
     * As {@link #append(Pool, TierClass, List, Pool.Purpose)} for new host data, but without
     * blocking, so that it may run on the caller's thread: null (nothing written, nothing
     * reserved) when that would need RocksDB (a new segment, a new range of chunk ids) or a wait.
     */
    public CompletableFuture<Appended> tryAppend(Pool pool, TierClass tier, List<ByteBuf> payloads) {
        int recordBytes = 0;
        long[] chunkIds = new long[payloads.size()];
        for (int i = 0; i < payloads.size(); i++) {
            recordBytes += ChunkFormat.recordLength(payloads.get(i).readableBytes());
            chunkIds[i] = ids.tryNext();
            if (chunkIds[i] < 0) {
                return null;
            }
        }
        Allocation allocation = pool.tryAllocate(tier, recordBytes);
        if (allocation == null) {
            return null;
        }
        ByteBuf records = ByteBufAllocator.DEFAULT.directBuffer(recordBytes + 4096);
        List<long[]> encoded = new ArrayList<>(payloads.size());
        try {
            encode(records, payloads, chunkIds, encoded);
        } catch (RuntimeException e) {
            records.release();
            pool.unreserve(allocation.liveBytes());
            pool.appendDone(allocation);
            throw e;
        }
        Group group = new Group(pool, tier, Pool.Purpose.HOST, records, recordBytes, encoded,
                System.nanoTime() + spaceWaitNanos);
        return write(group, pool.disks().size(), allocation);
    }

    private static void encode(ByteBuf group, List<ByteBuf> payloads, long[] chunkIds, List<long[]> encoded) {
        for (int i = 0; i < payloads.size(); i++) {
            ByteBuf p = payloads.get(i);
            int offset = group.writerIndex();
            int crc = ChunkFormat.write(group, chunkIds[i], ChunkFormat.CODEC_RAW, p.readableBytes(), p);
            encoded.add(new long[] {chunkIds[i], offset, group.writerIndex() - offset, crc, p.readableBytes()});
        }
    }

    private CompletableFuture<Appended> attempt(Group group, int attemptsLeft) {
        Allocation allocation;
        try {
            allocation = group.pool().allocate(group.tier(), group.recordBytes(), group.purpose());
        } catch (RuntimeException e) {
            group.records().release();
            return CompletableFuture.failedFuture(e);
        }
        if (allocation == null) {
            return awaitSpace(group, attemptsLeft);
        }
        return write(group, attemptsLeft, allocation);
    }

    /** No room now: waits for the collector, then tries again on a volume thread. */
    private CompletableFuture<Appended> awaitSpace(Group group, int attemptsLeft) {
        CompletableFuture<Appended> result = new CompletableFuture<>();
        group.pool().awaitSpace(group.recordBytes(), group.purpose(), group.deadline() - System.nanoTime())
                .whenComplete((ok, failure) -> {
                    if (failure != null) {
                        group.records().release();
                        result.completeExceptionally(failure);
                        return;
                    }
                    try {
                        retries.execute(() -> attempt(group, attemptsLeft).whenComplete((appended, error) -> {
                            if (error != null) {
                                result.completeExceptionally(error);
                            } else {
                                result.complete(appended);
                            }
                        }));
                    } catch (RejectedExecutionException e) {
                        group.records().release();
                        result.completeExceptionally(new BlockIoException(SenseCode.NOT_READY, "volume manager closed", e));
                    }
                });
        return result;
    }

    /** Writes the group into {@code allocation}; on a disk error, retries elsewhere (blocking allowed there). */
    private CompletableFuture<Appended> write(Group group, int attemptsLeft, Allocation allocation) {
        BackendDisk disk = allocation.segment().disk();
        int recordBytes = group.recordBytes();
        ByteBuf data = group.records().retainedSlice(0, recordBytes);
        ByteBuf write = allocation.paddedLength() == recordBytes ? data
                : ByteBufAllocator.DEFAULT.compositeDirectBuffer(2).addComponent(true, data)
                        .addComponent(true, ByteBufAllocator.DEFAULT.directBuffer(allocation.paddedLength() - recordBytes)
                                .writeZero(allocation.paddedLength() - recordBytes));
        Pool pool = group.pool();
        return disk.write(allocation.segment().segment(), allocation.offset(), write).handle((ok, failure) -> {
            if (failure == null) {
                group.records().release();
                return CompletableFuture.completedFuture(appended(disk, allocation, group.encoded()));
            }
            pool.unreserve(allocation.liveBytes());
            pool.appendDone(allocation);
            Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
            health.failed(disk, cause);
            if (attemptsLeft <= 1) {
                group.records().release();
                return CompletableFuture.<Appended>failedFuture(cause instanceof BlockIoException ? cause
                        : new CompletionException(cause));
            }
            return attempt(group, attemptsLeft - 1);
        }).thenCompose(f -> f);
    }

    private static Appended appended(BackendDisk disk, Allocation allocation, List<long[]> encoded) {
        List<Stored> records = new ArrayList<>(encoded.size());
        for (long[] e : encoded) {
            Placement placement = new Placement(disk.id(), allocation.segment().segment(),
                    allocation.offset() + (int) e[1], (int) e[2]);
            records.add(new Stored(e[0], new ChunkRecord(placement, ChunkFormat.CODEC_RAW, (int) e[4], (int) e[3])));
        }
        return new Appended(disk, allocation, records);
    }
}
