package dev.quarry.volume.thin;

import dev.quarry.block.AtomicWriteLimits;
import dev.quarry.block.BlockIoException;
import dev.quarry.block.BlockModifier;
import dev.quarry.block.BlockRange;
import dev.quarry.block.BlockVolume;
import dev.quarry.block.ExtentLock;
import dev.quarry.block.LbaStatus;
import dev.quarry.block.Provisioning;
import dev.quarry.block.SanitizeMethod;
import dev.quarry.block.SanitizeProgress;
import dev.quarry.block.SanitizeRequest;
import dev.quarry.block.SenseCode;
import dev.quarry.block.VolumeEvent;
import dev.quarry.block.VolumeEventListener;
import dev.quarry.block.WriteOptions;
import dev.quarry.volume.chunk.BadChunkException;
import dev.quarry.volume.commit.Retention;
import dev.quarry.volume.pool.Pool;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A thin-provisioned volume on the redirect-on-write chunk store: 512-byte LBAs over 4 KiB mapped
 * blocks, nothing allocated until written, all-zero blocks, UNMAP and WRITE SAME with UNMAP free
 * space, a volatile write cache that {@link #flush()} makes durable (FUA writes are durable when
 * acknowledged). Every operation locks the 4 KiB blocks it touches in an {@link ExtentLock}, so
 * overlapping operations apply in call order, sub-block writes (read-modify-write of their block)
 * and {@link #modify} are atomic against other writes, and writes up to the atomic limit land whole.
 *
 * <p>Thread-safe; non-blocking: work runs on the volume executor and the disks' threads.
 */
public final class ThinVolume implements BlockVolume {

    private static final Logger LOG = LoggerFactory.getLogger(ThinVolume.class);
    private static final Provisioning PROVISIONING = new Provisioning(true, true, Blocks.LBAS_PER_BLOCK, 1L << 23, 256);
    private static final AtomicWriteLimits ATOMIC = new AtomicWriteLimits(
            (long) Blocks.MUTATION_BLOCKS * Blocks.LBAS_PER_BLOCK, 1, 1);
    private static final int MAX_STATUS_BLOCKS = 1 << 20;

    private final VolumeContext context;
    private final VolumeIo io;
    private final ExtentLock locks = new ExtentLock();
    private final List<VolumeEventListener> listeners = new CopyOnWriteArrayList<>();
    private final ProvisioningScanner scanner;
    private final Supplier<Pool> pool;
    private volatile VolumeRecord record;
    private volatile Retention retention;
    private volatile boolean closed;

    public ThinVolume(VolumeRecord record, VolumeContext context, Supplier<Pool> pool, Retention retention) {
        this.record = record;
        this.context = context;
        this.pool = pool;
        this.retention = retention;
        this.io = new VolumeIo(context, record.id(), pool,
                () -> this.record.tier() != null ? this.record.tier() : pool.get().record().defaultTier(),
                () -> this.retention);
        this.scanner = new ProvisioningScanner(context.blockMap(), record.id());
    }

    public VolumeRecord record() {
        return record;
    }

    /** The epoch and snapshot pins this volume's writes are stamped with. */
    public Retention retention() {
        return retention;
    }

    /**
     * Takes a new definition and retention (a snapshot was taken or deleted). Call only from work
     * run {@link #exclusively}, so that every write is stamped wholly before or wholly after.
     */
    public void retained(VolumeRecord next, Retention pins) {
        this.record = next;
        this.retention = pins;
    }

    /**
     * Runs {@code work} on a volume thread once every operation already started has finished, and
     * holds every later one until it completes: the barrier snapshots and rollbacks need.
     */
    public <T> CompletableFuture<T> exclusively(Supplier<CompletableFuture<T>> work) {
        return locked(0, Long.MAX_VALUE / 2, work, 0);
    }

    /** Takes a grown definition and tells subscribers CAPACITY_CHANGED. */
    public void resized(VolumeRecord grown) {
        this.record = grown;
        signal(VolumeEvent.CAPACITY_CHANGED);
    }

    /** Tells subscribers {@code event}, on a volume thread. */
    public void signal(VolumeEvent event) {
        try {
            context.executor().execute(() -> listeners.forEach(l -> l.onEvent(event)));
        } catch (RejectedExecutionException e) {
            LOG.debug("volume {} closed; event {} not delivered", record.name(), event, e);
        }
    }

    @Override
    public int blockSize() {
        return Blocks.LBA_BYTES;
    }

    @Override
    public long blockCount() {
        return record.sizeBytes() / Blocks.LBA_BYTES;
    }

    @Override
    public int physicalBlockExponent() {
        return 3;
    }

    @Override
    public boolean readOnly() {
        return false;
    }

    /** Completed writes are durable only after {@link #flush()} (or when written with FUA). */
    @Override
    public boolean volatileWriteCache() {
        return true;
    }

    @Override
    public Provisioning provisioning() {
        return PROVISIONING;
    }

    @Override
    public AtomicWriteLimits atomicWriteLimits() {
        return ATOMIC;
    }

    @Override
    public CompletableFuture<ByteBuf> read(long lba, int blocks) {
        CompletableFuture<ByteBuf> refused = refuse(lba, blocks, null, false);
        if (refused != null) {
            return refused;
        }
        if (blocks == 0) {
            return CompletableFuture.completedFuture(ByteBufAllocator.DEFAULT.directBuffer(0));
        }
        long first = Blocks.blockOf(lba);
        int count = (int) (Blocks.blockEnd(lba, blocks) - first);
        return locks.acquire(first, count).thenCompose(lease -> {
            CompletableFuture<ByteBuf> inline;
            try {
                inline = io.tryReadInline(first, count);
            } catch (RuntimeException e) {
                inline = CompletableFuture.failedFuture(e);
            }
            CompletableFuture<ByteBuf> work = inline != null
                    ? inline.handle((buf, failure) -> {
                        if (failure != null) {
                            throw translate(failure, lba);
                        }
                        return buf;
                    })
                    : supply(() -> io.readBlocks(first, count), lba);
            return work.whenComplete((value, failure) -> lease.close());
        }).thenApply(buf -> sliceLbas(buf, lba, first, blocks));
    }

    /** The LBAs [lba, lba + blocks) of a buffer holding whole blocks from {@code first}; takes ownership. */
    private static ByteBuf sliceLbas(ByteBuf buf, long lba, long first, int blocks) {
        int skip = (int) (lba - first * Blocks.LBAS_PER_BLOCK) * Blocks.LBA_BYTES;
        int length = blocks * Blocks.LBA_BYTES;
        if (skip == 0 && length == buf.readableBytes()) {
            return buf;
        }
        try {
            return buf.retainedSlice(buf.readerIndex() + skip, length);
        } finally {
            buf.release();
        }
    }

    @Override
    public CompletableFuture<Void> write(long lba, ByteBuf data, WriteOptions options) {
        if (data.readableBytes() % Blocks.LBA_BYTES != 0) {
            data.release();
            return CompletableFuture.failedFuture(new BlockIoException(SenseCode.INVALID_FIELD_IN_CDB,
                    "write of " + data.readableBytes() + " bytes is not whole blocks"));
        }
        long lbas = data.readableBytes() / Blocks.LBA_BYTES;
        CompletableFuture<Void> refused = refuse(lba, lbas, data, true);
        if (refused != null) {
            return refused;
        }
        if (options.atomic() && lbas > ATOMIC.maxBlocks()) {
            data.release();
            return CompletableFuture.failedFuture(new BlockIoException(SenseCode.INVALID_FIELD_IN_CDB,
                    "atomic write of " + lbas + " blocks exceeds " + ATOMIC.maxBlocks()));
        }
        long first = Blocks.blockOf(lba);
        int count = (int) (Blocks.blockEnd(lba, lbas) - first);
        boolean fua = options.forceUnitAccess();
        return locks.acquire(first, count).thenCompose(lease -> {
            VolumeIo.InlineWrite inline = Blocks.aligned(lba, lbas) ? tryInline(first, data, fua, lba) : null;
            if (inline == null) {
                return supply(() -> writeLocked(lba, data, fua), lba).whenComplete((value, failure) -> lease.close());
            }
            // The lease lasts until the write is done, which for a cached write acknowledged in
            // the write-back window is after the host was told.
            inline.done().whenComplete((value, failure) -> lease.close());
            return inline.acknowledged();
        }).whenComplete((ok, failure) -> data.release());
    }

    /**
     * A small aligned write started on the thread that got the lease (no hop to a volume
     * thread), when that needs no RocksDB call; null otherwise.
     */
    private VolumeIo.InlineWrite tryInline(long first, ByteBuf data, boolean fua, long lba) {
        VolumeIo.InlineWrite inline;
        try {
            inline = io.tryWriteInline(first, data, fua);
        } catch (RuntimeException e) {
            CompletableFuture<Void> failed = CompletableFuture.failedFuture(e);
            inline = new VolumeIo.InlineWrite(failed, failed);
        }
        if (inline == null) {
            return null;
        }
        CompletableFuture<Void> acknowledged = inline.acknowledged().handle((value, failure) -> {
            if (failure != null) {
                throw translate(failure, lba);
            }
            return value;
        });
        return new VolumeIo.InlineWrite(acknowledged, inline.done());
    }

    @Override
    public CompletableFuture<Void> modify(long lba, int blocks, BlockModifier modifier, WriteOptions options) {
        CompletableFuture<Void> refused = refuse(lba, blocks, null, true);
        if (refused != null) {
            return refused;
        }
        long first = Blocks.blockOf(lba);
        int count = (int) (Blocks.blockEnd(lba, blocks) - first);
        return locked(first, count, () -> io.readBlocks(first, count).thenCompose(whole -> {
            ByteBuf next;
            try {
                int skip = (int) (lba - first * Blocks.LBAS_PER_BLOCK) * Blocks.LBA_BYTES;
                next = modifier.apply(whole.slice(whole.readerIndex() + skip, blocks * Blocks.LBA_BYTES));
                if (next.readableBytes() != blocks * Blocks.LBA_BYTES) {
                    next.release();
                    throw new IllegalStateException("modifier returned " + next.readableBytes() + " bytes");
                }
                whole.setBytes(whole.readerIndex() + skip, next, next.readerIndex(), next.readableBytes());
                next.release();
                return io.writeBlocks(first, whole, options.forceUnitAccess());
            } finally {
                whole.release();
            }
        }), lba);
    }

    @Override
    public CompletableFuture<Void> writeSame(long lba, long blocks, ByteBuf pattern, boolean unmap, WriteOptions options) {
        CompletableFuture<Void> refused = refuse(lba, blocks, pattern, true);
        if (refused != null) {
            return refused;
        }
        if (pattern.readableBytes() < Blocks.LBA_BYTES) {
            pattern.release();
            return CompletableFuture.failedFuture(new BlockIoException(SenseCode.INVALID_FIELD_IN_CDB, "pattern shorter than a block"));
        }
        ByteBuf block = ByteBufAllocator.DEFAULT.directBuffer(Blocks.BLOCK_BYTES);
        for (int i = 0; i < Blocks.LBAS_PER_BLOCK; i++) {
            block.writeBytes(pattern, pattern.readerIndex(), Blocks.LBA_BYTES);
        }
        pattern.release();
        long first = Blocks.blockOf(lba);
        long count = Blocks.blockEnd(lba, blocks) - first;
        return locked(first, count, () -> new RangeWriter(io, lba, blocks, block, options.forceUnitAccess()).run(), lba)
                .whenComplete((ok, failure) -> block.release());
    }

    @Override
    public CompletableFuture<Void> flush() {
        if (closed) {
            return CompletableFuture.failedFuture(new BlockIoException(SenseCode.NOT_READY, "volume " + record.name() + " is closed"));
        }
        return context.committer().flush();
    }

    /** Frees the blocks; partial 4 KiB blocks at the ends are zeroed, so every unmapped LBA reads zero. */
    @Override
    public CompletableFuture<Void> unmap(long lba, long blocks) {
        CompletableFuture<Void> refused = refuse(lba, blocks, null, true);
        if (refused != null) {
            return refused;
        }
        ByteBuf zero = ByteBufAllocator.DEFAULT.directBuffer(Blocks.BLOCK_BYTES).writeZero(Blocks.BLOCK_BYTES);
        long first = Blocks.blockOf(lba);
        long count = Blocks.blockEnd(lba, blocks) - first;
        return locked(first, count, () -> new RangeWriter(io, lba, blocks, zero, false).run(), lba)
                .whenComplete((ok, failure) -> zero.release());
    }

    /**
     * OVERWRITE (every block then maps one stored pattern chunk) and BLOCK ERASE (every block
     * deallocated); both overwrite the released chunks' records in the pool (see
     * {@link VolumeSanitizer}). CRYPTO ERASE is performed as a BLOCK ERASE: chunks are not
     * encrypted, so there is no key to replace, and the erase leaves nothing to decrypt either.
     */
    @Override
    public Set<SanitizeMethod> sanitizeMethods() {
        return EnumSet.allOf(SanitizeMethod.class);
    }

    @Override
    public CompletableFuture<Void> sanitize(SanitizeRequest request, SanitizeProgress progress) {
        CompletableFuture<Void> refused = refuse(0, blockCount(), null, true);
        if (refused != null) {
            return refused;
        }
        boolean wrongPattern = request.method() == SanitizeMethod.OVERWRITE && request.pattern().length != Blocks.LBA_BYTES;
        if (!sanitizeMethods().contains(request.method()) || wrongPattern) {
            return CompletableFuture.failedFuture(new BlockIoException(SenseCode.INVALID_FIELD_IN_CDB,
                    "sanitize " + request + " is not offered"));
        }
        long blocks = Blocks.blockEnd(0, blockCount());
        return locked(0, blocks, () -> new VolumeSanitizer(io, context, record.id(), blocks, request, progress).run(), 0);
    }

    @Override
    public CompletableFuture<List<LbaStatus>> provisioningStatus(long lba, long maxBlocks) {
        long capacity = blockCount();
        if (!BlockRange.fits(lba, 1, capacity)) {
            return BlockRange.outOfRange(lba, 1, capacity);
        }
        long lbas = Math.max(1, Math.min(Math.min(maxBlocks, capacity - lba), (long) MAX_STATUS_BLOCKS * Blocks.LBAS_PER_BLOCK));
        return supply(() -> CompletableFuture.completedFuture(scanner.scan(lba, lbas)), lba);
    }

    @Override
    public AutoCloseable subscribe(VolumeEventListener listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    /** Detaches this handle: later calls fail with NOT READY. The data stays in the pool. */
    @Override
    public void close() {
        closed = true;
    }

    /** Whether {@link #close()} or {@link #quiesce()} was called. */
    public boolean closed() {
        return closed;
    }

    /** A fresh handle on the same volume, for when this one was closed by its exporter. */
    ThinVolume reopened() {
        return new ThinVolume(record, context, pool, retention);
    }

    /** Closes the handle and completes once every operation already started has finished. */
    public CompletableFuture<Void> quiesce() {
        closed = true;
        return locks.acquire(0, Long.MAX_VALUE / 2).thenAccept(ExtentLock.Lease::close);
    }

    /** Writes [lba, lba + data) under the lease: whole blocks directly, partial ones by read-modify-write. */
    private CompletableFuture<Void> writeLocked(long lba, ByteBuf data, boolean durable) {
        if (Blocks.aligned(lba, data.readableBytes() / Blocks.LBA_BYTES)) {
            return io.writeBlocks(Blocks.blockOf(lba), data, durable);
        }
        long first = Blocks.blockOf(lba);
        int count = (int) (Blocks.blockEnd(lba, data.readableBytes() / Blocks.LBA_BYTES) - first);
        return io.readBlocks(first, count).thenCompose(whole -> {
            try {
                int skip = (int) (lba - first * Blocks.LBAS_PER_BLOCK) * Blocks.LBA_BYTES;
                whole.setBytes(whole.readerIndex() + skip, data, data.readerIndex(), data.readableBytes());
                return io.writeBlocks(first, whole, durable);
            } finally {
                whole.release();
            }
        });
    }

    private <T> CompletableFuture<T> refuse(long lba, long lbas, ByteBuf owned, boolean write) {
        BlockIoException refusal = null;
        if (closed) {
            refusal = new BlockIoException(SenseCode.NOT_READY, "volume " + record.name() + " is closed");
        } else if (!BlockRange.fits(lba, lbas, blockCount())) {
            refusal = new BlockIoException(SenseCode.LBA_OUT_OF_RANGE,
                    "blocks " + lba + "+" + lbas + " beyond capacity " + blockCount());
        } else if (write && readOnly()) {
            refusal = new BlockIoException(SenseCode.WRITE_PROTECTED, "read-only volume");
        }
        if (refusal == null) {
            return null;
        }
        if (owned != null) {
            owned.release();
        }
        return CompletableFuture.failedFuture(refusal);
    }

    /** Runs {@code work} on a volume thread while holding the extent lock of the blocks. */
    private <T> CompletableFuture<T> locked(long firstBlock, long count, Supplier<CompletableFuture<T>> work, long lba) {
        return locks.acquire(firstBlock, count).thenCompose(lease -> supply(work, lba)
                .whenComplete((value, failure) -> lease.close()));
    }

    private <T> CompletableFuture<T> supply(Supplier<CompletableFuture<T>> work, long lba) {
        CompletableFuture<T> result;
        try {
            result = CompletableFuture.supplyAsync(work, context.executor()).thenCompose(f -> f);
        } catch (RejectedExecutionException e) {
            return CompletableFuture.failedFuture(new BlockIoException(SenseCode.NOT_READY, "volume manager closed", e));
        }
        return result.handle((value, failure) -> {
            if (failure != null) {
                throw translate(failure, lba);
            }
            return value;
        });
    }

    /** Maps failures to the sense the host must see, in one place. */
    private BlockIoException translate(Throwable failure, long lba) {
        Throwable cause = failure;
        while (cause instanceof CompletionException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        if (cause instanceof BlockIoException block) {
            return block;
        }
        if (cause instanceof BadChunkException bad) {
            long badLba = Math.max(lba, (Blocks.blockOf(lba) + bad.index()) * Blocks.LBAS_PER_BLOCK);
            return BlockIoException.unrecoveredRead(badLba, bad.getMessage(), bad);
        }
        LOG.error("volume {}: internal failure at LBA {}", record.name(), lba, cause);
        return new BlockIoException(SenseCode.INTERNAL_TARGET_FAILURE, "internal failure: " + cause, cause);
    }
}
