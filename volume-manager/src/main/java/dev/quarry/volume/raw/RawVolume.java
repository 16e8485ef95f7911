package dev.quarry.volume.raw;

import dev.quarry.block.BlockDevice;
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
import dev.quarry.block.VolumeEventListener;
import dev.quarry.block.WriteOptions;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * A volume that exports a backend device as is, block for block: fully provisioned, no
 * snapshots, the device's own block size. Overlapping operations are serialised through an
 * {@link ExtentLock}, which is what makes {@link #modify} (COMPARE AND WRITE) atomic against
 * every other write.
 *
 * <p>Thread-safe; non-blocking.
 */
public final class RawVolume implements BlockVolume {

    /** WRITE SAME writes its pattern in pieces of at most this many bytes. */
    private static final int WRITE_SAME_PIECE_BYTES = 1 << 20;

    private final BlockDevice device;
    private final boolean readOnly;
    private final ExtentLock locks = new ExtentLock();

    public RawVolume(BlockDevice device, boolean readOnly) {
        this.device = device;
        this.readOnly = readOnly;
    }

    @Override
    public int blockSize() {
        return device.blockSize();
    }

    @Override
    public long blockCount() {
        return device.blockCount();
    }

    @Override
    public boolean readOnly() {
        return readOnly;
    }

    /** Completed writes sit in the page cache (or the device's cache) until flushed. */
    @Override
    public boolean volatileWriteCache() {
        return true;
    }

    @Override
    public Provisioning provisioning() {
        return Provisioning.THICK;
    }

    @Override
    public CompletableFuture<ByteBuf> read(long lba, int blocks) {
        if (!BlockRange.fits(lba, blocks, blockCount())) {
            return BlockRange.outOfRange(lba, blocks, blockCount());
        }
        return locked(lba, blocks, ignored -> device.read(lba, blocks));
    }

    @Override
    public CompletableFuture<Void> write(long lba, ByteBuf data, WriteOptions options) {
        long blocks = data.readableBytes() / blockSize();
        CompletableFuture<Void> refused = refuse(lba, blocks, data);
        if (refused != null) {
            return refused;
        }
        return locked(lba, blocks, ignored -> device.write(lba, data, options));
    }

    @Override
    public CompletableFuture<Void> modify(long lba, int blocks, BlockModifier modifier, WriteOptions options) {
        CompletableFuture<Void> refused = refuse(lba, blocks, null);
        if (refused != null) {
            return refused;
        }
        return locked(lba, blocks, ignored -> device.read(lba, blocks).thenCompose(current -> {
            ByteBuf next;
            try {
                next = modifier.apply(current);
            } finally {
                current.release();
            }
            return device.write(lba, next, options);
        }));
    }

    @Override
    public CompletableFuture<Void> writeSame(long lba, long blocks, ByteBuf pattern, boolean unmap, WriteOptions options) {
        CompletableFuture<Void> refused = refuse(lba, blocks, pattern);
        if (refused != null) {
            return refused;
        }
        if (pattern.readableBytes() < blockSize()) {
            pattern.release();
            return CompletableFuture.failedFuture(new IllegalArgumentException("pattern shorter than a block"));
        }
        ByteBuf piece = repeat(pattern, (int) Math.min(blocks, WRITE_SAME_PIECE_BYTES / blockSize()));
        return locked(lba, blocks, ignored -> writeRepeated(lba, blocks, piece, options))
                .whenComplete((ok, failure) -> piece.release());
    }

    @Override
    public CompletableFuture<Void> flush() {
        return device.flush();
    }

    @Override
    public CompletableFuture<Void> unmap(long lba, long blocks) {
        CompletableFuture<Void> refused = refuse(lba, blocks, null);
        return refused != null ? refused : device.unmap(lba, blocks);
    }

    /**
     * Both methods overwrite the device in place, so the old bytes are gone from the device once
     * each pass is flushed: OVERWRITE with the host's pattern, BLOCK ERASE with zeroes (the value
     * this volume erases to). What lies below the device (a file system's copy-on-write, an SSD's
     * remapping) is beyond its reach. CRYPTO ERASE is performed as a BLOCK ERASE, since nothing
     * is encrypted.
     */
    @Override
    public Set<SanitizeMethod> sanitizeMethods() {
        return EnumSet.allOf(SanitizeMethod.class);
    }

    @Override
    public CompletableFuture<Void> sanitize(SanitizeRequest request, SanitizeProgress progress) {
        CompletableFuture<Void> refused = refuse(0, blockCount(), null);
        if (refused != null) {
            return refused;
        }
        return BlockVolume.super.sanitize(request, progress);
    }

    /** Every block of a fully provisioned volume is mapped. */
    @Override
    public CompletableFuture<List<LbaStatus>> provisioningStatus(long lba, long maxBlocks) {
        long capacity = blockCount();
        if (!BlockRange.fits(lba, 1, capacity)) {
            return BlockRange.outOfRange(lba, 1, capacity);
        }
        long blocks = Math.max(1, Math.min(maxBlocks, capacity - lba));
        return CompletableFuture.completedFuture(List.of(new LbaStatus(lba, blocks, LbaStatus.State.MAPPED)));
    }

    /** A raw volume never changes size or runs out of space on its own. */
    @Override
    public AutoCloseable subscribe(VolumeEventListener listener) {
        return () -> { };
    }

    @Override
    public void close() {
        device.close();
    }

    private CompletableFuture<Void> refuse(long lba, long blocks, ByteBuf owned) {
        if (readOnly) {
            release(owned);
            return CompletableFuture.failedFuture(new BlockIoException(SenseCode.WRITE_PROTECTED, "read-only volume"));
        }
        if (!BlockRange.fits(lba, blocks, blockCount())) {
            release(owned);
            return BlockRange.outOfRange(lba, blocks, blockCount());
        }
        return null;
    }

    private static void release(ByteBuf owned) {
        if (owned != null) {
            owned.release();
        }
    }

    private <T> CompletableFuture<T> locked(long lba, long blocks, Function<ExtentLock.Lease, CompletableFuture<T>> work) {
        return locks.acquire(lba, blocks).thenCompose(lease -> {
            CompletableFuture<T> done;
            try {
                done = work.apply(lease);
            } catch (RuntimeException e) {
                lease.close();
                throw e;
            }
            return done.whenComplete((value, failure) -> lease.close());
        });
    }

    /** A buffer holding the first block of {@code pattern} {@code blocks} times; releases {@code pattern}. */
    private ByteBuf repeat(ByteBuf pattern, int blocks) {
        ByteBuf piece = ByteBufAllocator.DEFAULT.directBuffer(blocks * blockSize());
        try {
            for (int i = 0; i < blocks; i++) {
                piece.writeBytes(pattern, pattern.readerIndex(), blockSize());
            }
            return piece;
        } finally {
            pattern.release();
        }
    }

    private CompletableFuture<Void> writeRepeated(long lba, long remaining, ByteBuf piece, WriteOptions options) {
        if (remaining == 0) {
            return options.forceUnitAccess() ? device.flush() : CompletableFuture.completedFuture(null);
        }
        int blocks = (int) Math.min(remaining, piece.readableBytes() / blockSize());
        ByteBuf slice = piece.retainedSlice(0, blocks * blockSize());
        return device.write(lba, slice, WriteOptions.CACHED)
                .thenCompose(ignored -> writeRepeated(lba + blocks, remaining - blocks, piece, options));
    }
}
