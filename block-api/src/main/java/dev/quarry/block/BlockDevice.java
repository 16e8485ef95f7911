package dev.quarry.block;

import io.netty.buffer.ByteBuf;
import java.util.concurrent.CompletableFuture;

/**
 * A device of fixed-size logical blocks with asynchronous I/O: what backend disks implement (a
 * file, a block device, a LUN of another array) and the base of {@link BlockVolume}.
 *
 * <p>Addresses are logical block addresses in units of {@link #blockSize()}. Requests must lie
 * within {@link #blockCount()}; an implementation answers an out-of-range request with a future
 * failed by {@link BlockIoException} ({@link SenseCode#LBA_OUT_OF_RANGE}) rather than by throwing.
 *
 * <p>Thread-safe: any thread may call any method concurrently. No method blocks; futures
 * complete on the implementation's executors. See the package documentation for who releases
 * buffers.
 */
public interface BlockDevice extends AutoCloseable {

    /** Bytes per logical block (512 or 4096). Never changes. */
    int blockSize();

    /** Capacity in logical blocks. May grow while the device is open (never shrinks under I/O). */
    long blockCount();

    /**
     * Reads {@code blocks} blocks from {@code lba}. The returned buffer holds exactly
     * {@code blocks * blockSize()} readable bytes and belongs to the caller.
     */
    CompletableFuture<ByteBuf> read(long lba, int blocks);

    /**
     * Writes {@code data}, a whole number of blocks, at {@code lba}. Takes ownership of
     * {@code data}. The future completes once the write is visible to later reads and, with
     * {@link WriteOptions#forceUnitAccess()}, durable.
     */
    CompletableFuture<Void> write(long lba, ByteBuf data, WriteOptions options);

    /**
     * Whether a write completes on this machine (a file, a local block device), so that it fails
     * only on a local fault. A volume built on such devices may acknowledge a cached write while
     * its device write is under way (the write-back window of the thin volumes). A device across
     * a network (a remote LUN) says false: a peer that went away must show as failed writes, not
     * as cached writes lost after their acknowledgement.
     */
    default boolean localWrites() {
        return false;
    }

    /** Makes every write completed before this call durable (SYNCHRONIZE CACHE). */
    CompletableFuture<Void> flush();

    /**
     * Tells the device the blocks no longer hold data. A thin device frees their space; whether
     * they then read as zeroes is {@link BlockVolume#provisioning()}'s {@code unmappedReadsZero}.
     */
    CompletableFuture<Void> unmap(long lba, long blocks);

    /** Releases files, handles and executors. Idempotent. In-flight operations fail. */
    @Override
    void close();
}
