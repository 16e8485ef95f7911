package dev.quarry.volume.snapshot;

import dev.quarry.block.BlockIoException;
import dev.quarry.block.BlockRange;
import dev.quarry.block.LbaStatus;
import dev.quarry.block.Provisioning;
import dev.quarry.block.ReadOnlyBlockVolume;
import dev.quarry.block.SenseCode;
import dev.quarry.block.VolumeEventListener;
import dev.quarry.volume.chunk.BadChunkException;
import dev.quarry.volume.chunk.ChunkReader;
import dev.quarry.volume.map.MapValue;
import dev.quarry.volume.thin.ProvisioningScanner;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Supplier;

/**
 * A snapshot exported as a read-only LUN: reads resolve each 4 KiB block at the snapshot's epoch
 * ({@link EpochMap}) and read its chunk like the live volume does; GET LBA STATUS reports the
 * snapshot's own allocation; every write is refused with WRITE PROTECTED. A stale placement hint
 * (the chunk was relocated since) costs a chunk-record lookup and is not rewritten: a snapshot's
 * map never changes.
 *
 * <p>Thread-safe; non-blocking: map reads run on the volume executor.
 */
final class SnapshotVolume extends ReadOnlyBlockVolume {

    private static final int LBA_BYTES = 512;
    private static final int BLOCK_BYTES = 4096;
    private static final int LBAS_PER_BLOCK = BLOCK_BYTES / LBA_BYTES;
    private static final int MAX_STATUS_BLOCKS = 1 << 20;

    private final SnapshotRecord snapshot;
    private final long capacityLbas;
    private final Provisioning provisioning;
    private final EpochMap map;
    private final ChunkReader reader;
    private final Executor executor;
    private final Runnable onClose;
    private final ProvisioningScanner scanner;
    private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();

    SnapshotVolume(SnapshotRecord snapshot, long capacityBytes, Provisioning provisioning, EpochMap map,
                   ChunkReader reader, Executor executor, Runnable onClose) {
        super("snapshots are read-only");
        this.snapshot = snapshot;
        this.capacityLbas = capacityBytes / LBA_BYTES;
        this.provisioning = provisioning;
        this.map = map;
        this.reader = reader;
        this.executor = executor;
        this.onClose = onClose;
        this.scanner = new ProvisioningScanner((from, to, visitor) ->
                map.forEachMapped(snapshot.volumeId(), from, to, snapshot.epoch(), visitor::visit));
    }

    @Override
    public int blockSize() {
        return LBA_BYTES;
    }

    @Override
    public long blockCount() {
        return capacityLbas;
    }

    @Override
    public int physicalBlockExponent() {
        return 3;
    }

    @Override
    public Provisioning provisioning() {
        return provisioning;
    }

    @Override
    public CompletableFuture<ByteBuf> read(long lba, int blocks) {
        CompletableFuture<ByteBuf> refused = refuse(lba, blocks);
        if (refused != null) {
            return refused;
        }
        if (blocks == 0) {
            return CompletableFuture.completedFuture(ByteBufAllocator.DEFAULT.directBuffer(0));
        }
        long first = lba / LBAS_PER_BLOCK;
        int count = (int) ((lba + blocks + LBAS_PER_BLOCK - 1) / LBAS_PER_BLOCK - first);
        return supply(() -> {
            MapValue[] values = map.lookup(snapshot.volumeId(), first, count, snapshot.epoch());
            return reader.read(values, BLOCK_BYTES, (index, corrected) -> { });
        }, lba).thenApply(whole -> slice(whole, lba, first, blocks));
    }

    private static ByteBuf slice(ByteBuf whole, long lba, long first, int blocks) {
        int skip = (int) (lba - first * LBAS_PER_BLOCK) * LBA_BYTES;
        int length = blocks * LBA_BYTES;
        if (skip == 0 && length == whole.readableBytes()) {
            return whole;
        }
        try {
            return whole.retainedSlice(whole.readerIndex() + skip, length);
        } finally {
            whole.release();
        }
    }

    @Override
    public CompletableFuture<List<LbaStatus>> provisioningStatus(long lba, long maxBlocks) {
        if (!BlockRange.fits(lba, 1, capacityLbas)) {
            return BlockRange.outOfRange(lba, 1, capacityLbas);
        }
        long lbas = Math.max(1, Math.min(Math.min(maxBlocks, capacityLbas - lba), (long) MAX_STATUS_BLOCKS * LBAS_PER_BLOCK));
        return supply(() -> CompletableFuture.completedFuture(scanner.scan(lba, lbas)), lba);
    }

    /** A snapshot never changes: there is nothing to tell its hosts. */
    @Override
    public AutoCloseable subscribe(VolumeEventListener listener) {
        return () -> { };
    }

    /** Releases the export, so the snapshot may be deleted. Idempotent. */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            onClose.run();
        }
    }

    private <T> CompletableFuture<T> refuse(long lba, long lbas) {
        if (closed.get()) {
            return CompletableFuture.failedFuture(new BlockIoException(SenseCode.NOT_READY, "snapshot " + snapshot.name() + " is closed"));
        }
        if (!BlockRange.fits(lba, lbas, capacityLbas)) {
            return CompletableFuture.failedFuture(new BlockIoException(SenseCode.LBA_OUT_OF_RANGE,
                    "blocks " + lba + "+" + lbas + " beyond capacity " + capacityLbas));
        }
        return null;
    }

    private <T> CompletableFuture<T> supply(Supplier<CompletableFuture<T>> work, long lba) {
        CompletableFuture<T> result;
        try {
            result = CompletableFuture.supplyAsync(work, executor).thenCompose(f -> f);
        } catch (RejectedExecutionException e) {
            return CompletableFuture.failedFuture(new BlockIoException(SenseCode.NOT_READY, "volume manager closed", e));
        }
        return result.handle((value, failure) -> {
            if (failure == null) {
                return value;
            }
            Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
            if (cause instanceof BlockIoException block) {
                throw block;
            }
            if (cause instanceof BadChunkException bad) {
                long badLba = Math.max(lba, (lba / LBAS_PER_BLOCK + bad.index()) * LBAS_PER_BLOCK);
                throw BlockIoException.unrecoveredRead(badLba, bad.getMessage(), bad);
            }
            throw new BlockIoException(SenseCode.INTERNAL_TARGET_FAILURE, "internal failure: " + cause, cause);
        });
    }
}
