package dev.quarry.iscsi.initiator;

import dev.quarry.block.AtomicWriteLimits;
import dev.quarry.block.BlockIoException;
import dev.quarry.block.BlockModifier;
import dev.quarry.block.BlockVolume;
import dev.quarry.block.LbaStatus;
import dev.quarry.block.Provisioning;
import dev.quarry.block.VolumeEventListener;
import dev.quarry.block.WriteOptions;
import dev.quarry.block.testing.MemoryBlockVolume;
import io.netty.buffer.ByteBuf;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A {@link MemoryBlockVolume} behind a target that fails the way disks do, for the initiator's
 * tests: a block that cannot be read (MEDIUM ERROR with its LBA), and writes held back for a
 * while (a hung target, so that the initiator's command timeout fires).
 *
 * <p>Thread-safe.
 */
final class FaultyVolume implements BlockVolume {

    private final MemoryBlockVolume delegate;
    private volatile long unreadableLba = -1;
    private volatile long holdMillis;
    private final AtomicInteger heldWrites = new AtomicInteger();

    FaultyVolume(long bytes) {
        this.delegate = new MemoryBlockVolume(bytes);
    }

    MemoryBlockVolume delegate() {
        return delegate;
    }

    /** Reads covering {@code lba} fail with an unrecovered read error at that LBA. */
    void unreadable(long lba) {
        unreadableLba = lba;
    }

    /** The next {@code writes} writes are held for {@code millis} before they run. */
    void holdWrites(int writes, long millis) {
        holdMillis = millis;
        heldWrites.set(writes);
    }

    @Override
    public CompletableFuture<ByteBuf> read(long lba, int blocks) {
        long bad = unreadableLba;
        if (bad >= lba && bad < lba + blocks) {
            return CompletableFuture.failedFuture(BlockIoException.unrecoveredRead(bad, "injected medium error", null));
        }
        return delegate.read(lba, blocks);
    }

    @Override
    public CompletableFuture<Void> write(long lba, ByteBuf data, WriteOptions options) {
        if (heldWrites.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            return CompletableFuture.runAsync(() -> { }, CompletableFuture.delayedExecutor(holdMillis, TimeUnit.MILLISECONDS))
                    .thenCompose(v -> delegate.write(lba, data, options));
        }
        return delegate.write(lba, data, options);
    }

    @Override
    public int blockSize() {
        return delegate.blockSize();
    }

    @Override
    public long blockCount() {
        return delegate.blockCount();
    }

    @Override
    public int physicalBlockExponent() {
        return delegate.physicalBlockExponent();
    }

    @Override
    public boolean readOnly() {
        return delegate.readOnly();
    }

    @Override
    public boolean volatileWriteCache() {
        return delegate.volatileWriteCache();
    }

    @Override
    public Provisioning provisioning() {
        return delegate.provisioning();
    }

    @Override
    public AtomicWriteLimits atomicWriteLimits() {
        return delegate.atomicWriteLimits();
    }

    @Override
    public CompletableFuture<Void> flush() {
        return delegate.flush();
    }

    @Override
    public CompletableFuture<Void> unmap(long lba, long blocks) {
        return delegate.unmap(lba, blocks);
    }

    @Override
    public CompletableFuture<Void> modify(long lba, int blocks, BlockModifier modifier, WriteOptions options) {
        return delegate.modify(lba, blocks, modifier, options);
    }

    @Override
    public CompletableFuture<Void> writeSame(long lba, long blocks, ByteBuf pattern, boolean unmap, WriteOptions options) {
        return delegate.writeSame(lba, blocks, pattern, unmap, options);
    }

    @Override
    public CompletableFuture<List<LbaStatus>> provisioningStatus(long lba, long maxBlocks) {
        return delegate.provisioningStatus(lba, maxBlocks);
    }

    @Override
    public AutoCloseable subscribe(VolumeEventListener listener) {
        return delegate.subscribe(listener);
    }

    @Override
    public void close() {
        delegate.close();
    }
}
