package dev.quarry.volume.disk;

import dev.quarry.block.BlockDevice;
import dev.quarry.block.BlockIoException;
import dev.quarry.block.WriteOptions;
import io.netty.buffer.ByteBuf;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;

/**
 * A fault-injecting decorator for tests: once armed, reads of LBAs in a range, all writes, or
 * all flushes fail with the I/O errors a real disk reports (medium errors), while everything
 * else passes through.
 *
 * <p>Thread-safe.
 */
public final class FaultyDisk implements BlockDevice {

    private final BlockDevice inner;
    private volatile long badReadFrom = -1;
    private volatile long badReadTo = -1;
    private volatile boolean failWrites;
    private volatile boolean failFlushes;
    private volatile boolean remote;
    private volatile CompletableFuture<Void> held = CompletableFuture.completedFuture(null);

    public FaultyDisk(BlockDevice inner) {
        this.inner = inner;
    }

    /** Reads touching device LBAs [from, to) fail from now on. */
    public void failReads(long from, long to) {
        badReadFrom = from;
        badReadTo = to;
    }

    /** Every read fails from now on. */
    public void failAllReads() {
        failReads(0, Long.MAX_VALUE);
    }

    /** Writes wait from now on until {@link #releaseWrites()}, then go on (or fail, per {@link #failWrites}). */
    public void holdWrites() {
        held = new CompletableFuture<>();
    }

    public void releaseWrites() {
        held.complete(null);
    }

    public void failWrites(boolean fail) {
        failWrites = fail;
    }

    public void failFlushes(boolean fail) {
        failFlushes = fail;
    }

    @Override
    public int blockSize() {
        return inner.blockSize();
    }

    @Override
    public long blockCount() {
        return inner.blockCount();
    }

    @Override
    public CompletableFuture<ByteBuf> read(long lba, int blocks) {
        if (lba < badReadTo && lba + blocks > badReadFrom) {
            return CompletableFuture.failedFuture(BlockIoException.unrecoveredRead(Math.max(lba, badReadFrom),
                    "injected read error", new IOException("EIO")));
        }
        return inner.read(lba, blocks);
    }

    @Override
    public CompletableFuture<Void> write(long lba, ByteBuf data, WriteOptions options) {
        CompletableFuture<Void> gate = held;
        if (!gate.isDone()) {
            return gate.thenCompose(ignored -> writeNow(lba, data, options));
        }
        return writeNow(lba, data, options);
    }

    private CompletableFuture<Void> writeNow(long lba, ByteBuf data, WriteOptions options) {
        if (failWrites) {
            data.release();
            return CompletableFuture.failedFuture(BlockIoException.writeError(lba, "injected write error", new IOException("EIO")));
        }
        return inner.write(lba, data, options);
    }

    /** From now on the disk says its writes leave the machine, as a remote LUN does. */
    public void actRemote() {
        remote = true;
    }

    @Override
    public boolean localWrites() {
        return !remote && inner.localWrites();
    }

    @Override
    public CompletableFuture<Void> flush() {
        if (failFlushes) {
            return CompletableFuture.failedFuture(BlockIoException.writeError(0, "injected fdatasync error", new IOException("EIO")));
        }
        return inner.flush();
    }

    @Override
    public CompletableFuture<Void> unmap(long lba, long blocks) {
        return inner.unmap(lba, blocks);
    }

    @Override
    public void close() {
        inner.close();
    }
}
