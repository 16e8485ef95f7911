package dev.quarry.volume.disk;

import dev.quarry.block.BlockDevice;
import dev.quarry.block.BlockIoException;
import dev.quarry.block.SenseCode;
import dev.quarry.block.WriteOptions;
import io.netty.buffer.ByteBuf;
import java.util.concurrent.CompletableFuture;

/**
 * Stands in for a backend disk that could not be opened (or carried the wrong label) when the
 * pool was opened: every I/O fails, so only the chunks on that disk report errors while the rest
 * of the pool serves.
 *
 * <p>Immutable and thread-safe.
 */
public final class MissingDevice implements BlockDevice {

    private final String reason;
    private final long blockCount;

    public MissingDevice(String reason, long blockCount) {
        this.reason = reason;
        this.blockCount = blockCount;
    }

    @Override
    public int blockSize() {
        return 512;
    }

    @Override
    public long blockCount() {
        return blockCount;
    }

    @Override
    public CompletableFuture<ByteBuf> read(long lba, int blocks) {
        return CompletableFuture.failedFuture(new BlockIoException(SenseCode.COMMUNICATION_FAILURE, reason));
    }

    @Override
    public CompletableFuture<Void> write(long lba, ByteBuf data, WriteOptions options) {
        data.release();
        return CompletableFuture.failedFuture(new BlockIoException(SenseCode.COMMUNICATION_FAILURE, reason));
    }

    @Override
    public CompletableFuture<Void> flush() {
        return CompletableFuture.failedFuture(new BlockIoException(SenseCode.COMMUNICATION_FAILURE, reason));
    }

    @Override
    public CompletableFuture<Void> unmap(long lba, long blocks) {
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public void close() {
        // Nothing is held: the device was never opened.
    }
}
