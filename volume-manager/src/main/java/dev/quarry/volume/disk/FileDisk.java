package dev.quarry.volume.disk;

import dev.quarry.block.BlockDevice;
import dev.quarry.block.BlockIoException;
import dev.quarry.block.BlockRange;
import dev.quarry.block.IoPlug;
import dev.quarry.block.SenseCode;
import dev.quarry.block.WriteOptions;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link BlockDevice} over a regular file or a block device, with positional I/O on a small
 * pool of platform threads (file I/O blocks, so it never runs on the caller's thread).
 *
 * <p>A regular file is created sparse at the requested size when missing. With
 * {@link FileDisk.Options#direct()} the file is opened with O_DIRECT: requests must then be
 * aligned to {@link #blockSize()} (4096), and buffers that are not suitably aligned in memory
 * pass through an aligned bounce buffer.
 *
 * <p>Thread-safe.
 */
public final class FileDisk implements BlockDevice {

    private static final Logger LOG = LoggerFactory.getLogger(FileDisk.class);

    private final Path path;
    private final int blockSize;
    private final long blockCount;
    private final FileChannel channel;
    private final ExecutorService io;
    private final DirectIoAlignment alignment;
    private volatile boolean closed;
    private volatile IOException syncFailure;

    /**
     * How to open a file disk.
     *
     * @param sizeBytes the size of a regular file to create when it is missing (ignored for an
     *     existing file or a block device, whose size is read)
     * @param blockSize bytes per block: 512 or 4096 (O_DIRECT needs 4096)
     * @param direct open with O_DIRECT, bypassing the page cache
     * @param ioThreads platform threads doing the file's I/O
     */
    public record Options(long sizeBytes, int blockSize, boolean direct, int ioThreads) {
        public Options {
            if (blockSize != 512 && blockSize != 4096) {
                throw new IllegalArgumentException("blockSize must be 512 or 4096: " + blockSize);
            }
            if (direct && blockSize != 4096) {
                throw new IllegalArgumentException("O_DIRECT needs 4096-byte blocks");
            }
            if (ioThreads < 1) {
                throw new IllegalArgumentException("ioThreads must be positive: " + ioThreads);
            }
        }

        /** Buffered I/O, 512-byte blocks, four I/O threads. */
        public static Options buffered(long sizeBytes) {
            return new Options(sizeBytes, 512, false, 4);
        }
    }

    private FileDisk(Path path, int blockSize, long blockCount, FileChannel channel, ExecutorService io, boolean direct) {
        this.path = path;
        this.blockSize = blockSize;
        this.blockCount = blockCount;
        this.channel = channel;
        this.io = io;
        this.alignment = direct ? new DirectIoAlignment(blockSize) : null;
    }

    /** Opens (creating a sparse regular file when missing) the disk at {@code path}. Blocks; call at start-up. */
    public static FileDisk open(Path path, Options options) throws IOException {
        if (!Files.exists(path)) {
            if (options.sizeBytes() <= 0 || options.sizeBytes() % options.blockSize() != 0) {
                throw new IllegalArgumentException("size must be a positive multiple of the block size: " + options.sizeBytes());
            }
            FileChannels.createSparse(path, options.sizeBytes());
        }
        FileChannel channel = FileChannels.open(path, options.direct());
        try {
            long bytes = FileChannels.sizeOf(path, channel);
            if (bytes < options.blockSize()) {
                throw new IOException(path + " is smaller than one block (" + bytes + " bytes)");
            }
            ExecutorService io = Executors.newFixedThreadPool(options.ioThreads(), threads("disk-io-" + path.getFileName()));
            return new FileDisk(path, options.blockSize(), bytes / options.blockSize(), channel, io, options.direct());
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    public Path path() {
        return path;
    }

    @Override
    public int blockSize() {
        return blockSize;
    }

    @Override
    public long blockCount() {
        return blockCount;
    }

    @Override
    public CompletableFuture<ByteBuf> read(long lba, int blocks) {
        if (!BlockRange.fits(lba, blocks, blockCount)) {
            return BlockRange.outOfRange(lba, blocks, blockCount);
        }
        return submit(() -> {
            try {
                return readNow(lba, blocks);
            } catch (IOException e) {
                throw BlockIoException.unrecoveredRead(lba, "read of " + path + " at block " + lba + " failed", e);
            }
        });
    }

    @Override
    public CompletableFuture<Void> write(long lba, ByteBuf data, WriteOptions options) {
        int bytes = data.readableBytes();
        if (bytes % blockSize != 0) {
            data.release();
            return CompletableFuture.failedFuture(new IllegalArgumentException("write of " + bytes + " bytes is not whole blocks"));
        }
        long blocks = bytes / blockSize;
        if (!BlockRange.fits(lba, blocks, blockCount)) {
            data.release();
            return BlockRange.outOfRange(lba, blocks, blockCount);
        }
        return submit(() -> {
            try {
                writeNow(lba, data);
            } catch (IOException e) {
                throw BlockIoException.writeError(lba, "write of " + path + " at block " + lba + " failed", e);
            } finally {
                data.release();
            }
            if (options.forceUnitAccess()) {
                force();
            }
            return null;
        });
    }

    /** A file on this machine: its writes land in the page cache or the local device. */
    @Override
    public boolean localWrites() {
        return true;
    }

    @Override
    public CompletableFuture<Void> flush() {
        return submit(() -> {
            force();
            return null;
        });
    }

    /**
     * Advisory: a file disk keeps its blocks allocated (punching holes needs native calls), so the
     * blocks simply keep their old contents until rewritten.
     */
    @Override
    public CompletableFuture<Void> unmap(long lba, long blocks) {
        if (!BlockRange.fits(lba, blocks, blockCount)) {
            return BlockRange.outOfRange(lba, blocks, blockCount);
        }
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        io.shutdown();
        try {
            channel.close();
        } catch (IOException e) {
            LOG.warn("closing {} failed", path, e);
        }
    }

    /**
     * fdatasync. A failure is permanent for this disk: after an EIO Linux may have dropped the
     * dirty pages, so a retried fsync could "succeed" over lost data (RELIABILITY §1.4).
     */
    private void force() {
        IOException failure = syncFailure;
        if (failure == null) {
            try {
                channel.force(false);
                return;
            } catch (IOException e) {
                LOG.error("fdatasync of {} failed; the disk refuses further I/O", path, e);
                syncFailure = e;
                failure = e;
            }
        }
        throw new BlockIoException(SenseCode.INTERNAL_TARGET_FAILURE, "fdatasync of " + path + " failed", failure);
    }

    private ByteBuf readNow(long lba, int blocks) throws IOException {
        int length = blocks * blockSize;
        ByteBuf buffer = ByteBufAllocator.DEFAULT.directBuffer(length);
        try {
            long position = lba * blockSize;
            if (alignment != null && !alignment.isAligned(buffer, length)) {
                alignment.readThroughBounce(channel, position, buffer, length);
            } else {
                ByteBuffer target = buffer.nioBuffer(0, length);
                FileChannels.readFully(channel, target, position);
                buffer.writerIndex(length);
            }
            return buffer;
        } catch (IOException | RuntimeException e) {
            buffer.release();
            throw e;
        }
    }

    private void writeNow(long lba, ByteBuf data) throws IOException {
        long position = lba * blockSize;
        int length = data.readableBytes();
        if (alignment != null && !alignment.isAligned(data, length)) {
            alignment.writeThroughBounce(channel, position, data);
            return;
        }
        for (ByteBuffer source : data.nioBuffers()) {
            position += FileChannels.writeFully(channel, source, position);
        }
    }

    private <T> CompletableFuture<T> submit(IoCall<T> call) {
        CompletableFuture<T> result = new CompletableFuture<>();
        if (syncFailure != null) {
            result.completeExceptionally(new BlockIoException(SenseCode.INTERNAL_TARGET_FAILURE,
                    path + " failed an earlier fdatasync", syncFailure));
            return result;
        }
        // Through the caller's plug: an event loop answering its host first hands off after its reply.
        IoPlug.submit(() -> handOff(call, result));
        return result;
    }

    /** Runs {@code call} on the disk's threads, completing {@code result}. */
    private <T> void handOff(IoCall<T> call, CompletableFuture<T> result) {
        try {
            io.execute(() -> {
                try {
                    result.complete(call.run());
                } catch (RuntimeException | Error e) {
                    result.completeExceptionally(e);
                }
            });
        } catch (RejectedExecutionException e) {
            result.completeExceptionally(new BlockIoException(SenseCode.NOT_READY, path + " is closed", e));
        }
    }

    private static ThreadFactory threads(String name) {
        AtomicInteger counter = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + counter.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /** One blocking I/O step run on the disk's threads; failures arrive as BlockIoException. */
    @FunctionalInterface
    private interface IoCall<T> {
        T run();
    }
}
