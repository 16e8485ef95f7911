package dev.quarry.block;

import io.netty.buffer.ByteBuf;
import java.util.concurrent.CompletableFuture;

/**
 * The write side of a volume that is read-only by nature (a read-only export, a snapshot): every
 * write is refused with {@link SenseCode#WRITE_PROTECTED} (releasing the buffer it was given),
 * there is no write cache, and a flush has nothing to do. Subclasses supply the reads.
 *
 * <p>Thread-safe: it holds no state.
 */
public abstract class ReadOnlyBlockVolume implements BlockVolume {

    private final String refusal;

    /** {@code refusal}: what a refused write says, for logs and sense-data consumers. */
    protected ReadOnlyBlockVolume(String refusal) {
        this.refusal = refusal;
    }

    @Override
    public final boolean readOnly() {
        return true;
    }

    /** Nothing is ever written, so nothing is ever cached. */
    @Override
    public final boolean volatileWriteCache() {
        return false;
    }

    @Override
    public final CompletableFuture<Void> write(long lba, ByteBuf data, WriteOptions options) {
        data.release();
        return refused();
    }

    @Override
    public final CompletableFuture<Void> modify(long lba, int blocks, BlockModifier modifier, WriteOptions options) {
        return refused();
    }

    @Override
    public final CompletableFuture<Void> writeSame(long lba, long blocks, ByteBuf pattern, boolean unmap, WriteOptions options) {
        pattern.release();
        return refused();
    }

    @Override
    public final CompletableFuture<Void> copyFrom(BlockVolume source, long sourceLba, long lba, long blocks) {
        return refused();
    }

    @Override
    public final CompletableFuture<Void> unmap(long lba, long blocks) {
        return refused();
    }

    /** Nothing is ever written, so there is nothing to flush. */
    @Override
    public final CompletableFuture<Void> flush() {
        return CompletableFuture.completedFuture(null);
    }

    private CompletableFuture<Void> refused() {
        return CompletableFuture.failedFuture(new BlockIoException(SenseCode.WRITE_PROTECTED, refusal));
    }
}
