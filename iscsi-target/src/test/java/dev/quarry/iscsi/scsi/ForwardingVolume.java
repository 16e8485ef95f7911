package dev.quarry.iscsi.scsi;

import dev.quarry.block.AtomicWriteLimits;
import dev.quarry.block.BlockModifier;
import dev.quarry.block.BlockVolume;
import dev.quarry.block.LbaStatus;
import dev.quarry.block.Provisioning;
import dev.quarry.block.VolumeEventListener;
import dev.quarry.block.WriteOptions;
import io.netty.buffer.ByteBuf;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A volume that forwards to another and can pretend to be fully provisioned, to have a volatile
 * write cache, or to write atomically or not, for tests of what the SCSI layer offers in each case.
 */
class ForwardingVolume implements BlockVolume {

    protected final BlockVolume delegate;
    private final boolean thick;
    private final boolean volatileCache;
    private final boolean atomic;

    ForwardingVolume(BlockVolume delegate, boolean thick, boolean volatileCache, boolean atomic) {
        this.delegate = delegate;
        this.thick = thick;
        this.volatileCache = volatileCache;
        this.atomic = atomic;
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
        return volatileCache;
    }

    @Override
    public Provisioning provisioning() {
        return thick ? Provisioning.THICK : delegate.provisioning();
    }

    @Override
    public AtomicWriteLimits atomicWriteLimits() {
        return atomic ? delegate.atomicWriteLimits() : AtomicWriteLimits.NONE;
    }

    @Override
    public CompletableFuture<ByteBuf> read(long lba, int blocks) {
        return delegate.read(lba, blocks);
    }

    @Override
    public CompletableFuture<Void> write(long lba, ByteBuf data, WriteOptions options) {
        return delegate.write(lba, data, options);
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
