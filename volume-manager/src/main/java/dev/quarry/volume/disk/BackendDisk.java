package dev.quarry.volume.disk;

import dev.quarry.block.BlockDevice;
import dev.quarry.block.WriteOptions;
import io.netty.buffer.ByteBuf;
import java.util.BitSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A backend disk in a pool: any {@link BlockDevice} (file, block device, remote LUN, test
 * decorator) with its record, its segment allocation bitmap, its live-byte count and its I/O
 * statistics. Addresses here are byte offsets on the device; reads of unaligned ranges read the
 * covering device blocks and return the exact slice.
 *
 * <p>Thread-safe. I/O methods never block; allocation methods are short critical sections.
 */
public final class BackendDisk implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(BackendDisk.class);

    private final BlockDevice device;
    private final BitSet allocated;
    private final AtomicLong liveBytes = new AtomicLong();
    private final LongAdder bytesRead = new LongAdder();
    private final LongAdder bytesWritten = new LongAdder();
    private final LongAdder readErrors = new LongAdder();
    private final LongAdder writeErrors = new LongAdder();
    private volatile DiskRecord record;

    public BackendDisk(DiskRecord record, BlockDevice device) {
        this.record = record;
        this.device = device;
        this.allocated = new BitSet(record.segmentCount());
    }

    public int id() {
        return record.id();
    }

    public DiskRecord record() {
        return record;
    }

    public void record(DiskRecord next) {
        this.record = next;
    }

    public DiskState state() {
        return record.state();
    }

    /** Whether new chunks may be placed here. */
    public boolean writable() {
        return record.state() == DiskState.ONLINE;
    }

    public int deviceBlockSize() {
        return device.blockSize();
    }

    public BlockDevice device() {
        return device;
    }

    /** Rounds {@code bytes} up to whole device blocks. */
    public int roundUp(int bytes) {
        int bs = device.blockSize();
        return (bytes + bs - 1) / bs * bs;
    }

    /** Reads {@code length} bytes at byte {@code offset} of segment {@code segment}; the caller owns the buffer. */
    public CompletableFuture<ByteBuf> read(int segment, int offset, int length) {
        long position = record.segmentOffset(segment) + offset;
        int bs = device.blockSize();
        long lba = position / bs;
        int skip = (int) (position - lba * bs);
        int blocks = (skip + length + bs - 1) / bs;
        return device.read(lba, blocks).handle((buf, failure) -> {
            if (failure != null) {
                readErrors.increment();
                throw propagate(failure);
            }
            bytesRead.add(length);
            if (skip == 0 && buf.readableBytes() == length) {
                return buf;
            }
            try {
                return buf.retainedSlice(buf.readerIndex() + skip, length);
            } finally {
                buf.release();
            }
        });
    }

    /** Writes {@code data} (whole device blocks, ownership taken) at byte {@code offset} of a segment. */
    public CompletableFuture<Void> write(int segment, int offset, ByteBuf data) {
        long position = record.segmentOffset(segment) + offset;
        int bytes = data.readableBytes();
        return device.write(position / device.blockSize(), data, WriteOptions.CACHED).handle((ok, failure) -> {
            if (failure != null) {
                writeErrors.increment();
                throw propagate(failure);
            }
            bytesWritten.add(bytes);
            return null;
        });
    }

    /** fdatasync (or the device's cache flush). */
    public CompletableFuture<Void> flush() {
        return device.flush().whenComplete((ok, failure) -> {
            if (failure != null) {
                writeErrors.increment();
            }
        });
    }

    /** Allocates the lowest free segment, or returns -1. */
    public synchronized int allocateSegment() {
        int segment = allocated.nextClearBit(0);
        if (segment >= record.segmentCount()) {
            return -1;
        }
        allocated.set(segment);
        return segment;
    }

    /** Marks a segment allocated (recovery). */
    public synchronized void markAllocated(int segment) {
        allocated.set(segment);
    }

    public synchronized void releaseSegment(int segment) {
        allocated.clear(segment);
    }

    public synchronized int freeSegments() {
        return record.segmentCount() - allocated.cardinality();
    }

    public synchronized boolean isAllocated(int segment) {
        return allocated.get(segment);
    }

    public long capacityBytes() {
        return (long) record.segmentCount() * record.segmentSize();
    }

    public void addLive(long delta) {
        liveBytes.addAndGet(delta);
    }

    public long liveBytes() {
        return liveBytes.get();
    }

    public DiskStatistics statistics() {
        return new DiskStatistics(record.id(), record.state(), record.tier(), capacityBytes(), freeSegments(),
                liveBytes.get(), bytesRead.sum(), bytesWritten.sum(), readErrors.sum(), writeErrors.sum());
    }

    private static RuntimeException propagate(Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                ? failure.getCause() : failure;
        return cause instanceof RuntimeException runtime ? runtime : new CompletionException(cause);
    }

    @Override
    public void close() {
        try {
            device.close();
        } catch (RuntimeException e) {
            LOG.warn("closing disk {} failed", record.id(), e);
        }
    }
}
