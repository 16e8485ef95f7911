package dev.quarry.block.testing;

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
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * A sparse, thin-provisioned volume held in memory, for tests: 512-byte logical blocks in 4 KiB
 * pages allocated on first write and freed by UNMAP or all-zero writes. Operations run on a
 * private executor so that callers see the same asynchrony as with real volumes.
 *
 * <p>Thread-safe.
 */
public final class MemoryBlockVolume implements BlockVolume {

    private static final int BLOCK_SIZE = 512;
    private static final int PAGE_SIZE = 4096;
    private static final int BLOCKS_PER_PAGE = PAGE_SIZE / BLOCK_SIZE;

    private final ConcurrentHashMap<Long, byte[]> pages = new ConcurrentHashMap<>();
    private final ExtentLock locks = new ExtentLock();
    private final List<VolumeEventListener> listeners = new CopyOnWriteArrayList<>();
    private final ExecutorService executor;
    private final boolean readOnly;
    private volatile long blockCount;

    public MemoryBlockVolume(long bytes) {
        this(bytes, false);
    }

    public MemoryBlockVolume(long bytes, boolean readOnly) {
        if (bytes <= 0 || bytes % PAGE_SIZE != 0) {
            throw new IllegalArgumentException("size must be a positive multiple of 4096: " + bytes);
        }
        this.blockCount = bytes / BLOCK_SIZE;
        this.readOnly = readOnly;
        this.executor = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "memory-volume");
            t.setDaemon(true);
            return t;
        });
    }

    @Override
    public int blockSize() {
        return BLOCK_SIZE;
    }

    @Override
    public long blockCount() {
        return blockCount;
    }

    @Override
    public int physicalBlockExponent() {
        return 3;
    }

    @Override
    public boolean readOnly() {
        return readOnly;
    }

    @Override
    public boolean volatileWriteCache() {
        return false;
    }

    @Override
    public Provisioning provisioning() {
        return new Provisioning(true, true, BLOCKS_PER_PAGE, 1L << 22, 256);
    }

    @Override
    public AtomicWriteLimits atomicWriteLimits() {
        return new AtomicWriteLimits(2048, 1, 1);
    }

    /** Grows the volume and tells listeners, as an admin resize would. */
    public void grow(long newBytes) {
        if (newBytes / BLOCK_SIZE <= blockCount) {
            throw new IllegalArgumentException("volumes only grow");
        }
        blockCount = newBytes / BLOCK_SIZE;
        listeners.forEach(l -> l.onEvent(VolumeEvent.CAPACITY_CHANGED));
    }

    /** Tells listeners the (imaginary) pool crossed its soft threshold. */
    public void signal(VolumeEvent event) {
        listeners.forEach(l -> l.onEvent(event));
    }

    /** Pages currently allocated, for thin-provisioning assertions. */
    public int allocatedPages() {
        return pages.size();
    }

    @Override
    public CompletableFuture<ByteBuf> read(long lba, int blocks) {
        if (!BlockRange.fits(lba, blocks, blockCount)) {
            return BlockRange.outOfRange(lba, blocks, blockCount);
        }
        return locked(lba, blocks, () -> readNow(lba, blocks));
    }

    @Override
    public CompletableFuture<Void> write(long lba, ByteBuf data, WriteOptions options) {
        int blocks = data.readableBytes() / BLOCK_SIZE;
        CompletableFuture<Void> refused = refuseWrite(lba, blocks, data);
        if (refused != null) {
            return refused;
        }
        return locked(lba, blocks, data, () -> {
            try {
                writeNow(lba, data);
                return null;
            } finally {
                data.release();
            }
        });
    }

    @Override
    public CompletableFuture<Void> modify(long lba, int blocks, BlockModifier modifier, WriteOptions options) {
        CompletableFuture<Void> refused = refuseWrite(lba, blocks, null);
        if (refused != null) {
            return refused;
        }
        return locked(lba, blocks, () -> {
            ByteBuf current = readNow(lba, blocks);
            ByteBuf next;
            try {
                next = modifier.apply(current);
            } finally {
                current.release();
            }
            try {
                if (next.readableBytes() != blocks * BLOCK_SIZE) {
                    throw new IllegalStateException("modifier returned " + next.readableBytes() + " bytes");
                }
                writeNow(lba, next);
                return null;
            } finally {
                next.release();
            }
        });
    }

    @Override
    public CompletableFuture<Void> writeSame(long lba, long blocks, ByteBuf pattern, boolean unmap, WriteOptions options) {
        CompletableFuture<Void> refused = refuseWrite(lba, blocks, pattern);
        if (refused != null) {
            return refused;
        }
        return locked(lba, blocks, pattern, () -> {
            try {
                ByteBuf block = pattern.slice(pattern.readerIndex(), BLOCK_SIZE);
                for (long i = 0; i < blocks; i++) {
                    writeNow(lba + i, block.duplicate());
                }
                return null;
            } finally {
                pattern.release();
            }
        });
    }

    @Override
    public CompletableFuture<Void> flush() {
        return CompletableFuture.runAsync(() -> { }, executor);
    }

    @Override
    public CompletableFuture<Void> unmap(long lba, long blocks) {
        CompletableFuture<Void> refused = refuseWrite(lba, blocks, null);
        if (refused != null) {
            return refused;
        }
        return locked(lba, blocks, () -> {
            ByteBuf zeroes = ByteBufAllocator.DEFAULT.heapBuffer(BLOCK_SIZE).writeZero(BLOCK_SIZE);
            try {
                for (long i = 0; i < blocks; i++) {
                    writeNow(lba + i, zeroes.duplicate());
                }
            } finally {
                zeroes.release();
            }
            return null;
        });
    }

    /**
     * Overwrite in place, and block erase by deallocating every page (which then reads zeroes);
     * crypto erase as a block erase, as the thin volume does.
     */
    @Override
    public Set<SanitizeMethod> sanitizeMethods() {
        return EnumSet.allOf(SanitizeMethod.class);
    }

    @Override
    public CompletableFuture<Void> sanitize(SanitizeRequest request, SanitizeProgress progress) {
        if (request.method() == SanitizeMethod.OVERWRITE) {
            return BlockVolume.super.sanitize(request, progress);
        }
        return unmap(0, blockCount).thenRun(() -> progress.progressed(blockCount, blockCount));
    }

    @Override
    public CompletableFuture<List<LbaStatus>> provisioningStatus(long lba, long maxBlocks) {
        if (!BlockRange.fits(lba, 1, blockCount)) {
            return BlockRange.outOfRange(lba, 1, blockCount);
        }
        return CompletableFuture.supplyAsync(() -> statusNow(lba, Math.min(maxBlocks, blockCount - lba)), executor);
    }

    @Override
    public AutoCloseable subscribe(VolumeEventListener listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    @Override
    public void close() {
        executor.shutdownNow();
        pages.clear();
    }

    private CompletableFuture<Void> refuseWrite(long lba, long blocks, ByteBuf owned) {
        if (readOnly) {
            release(owned);
            return CompletableFuture.failedFuture(new BlockIoException(SenseCode.WRITE_PROTECTED, "read-only volume"));
        }
        if (!BlockRange.fits(lba, blocks, blockCount)) {
            release(owned);
            return BlockRange.outOfRange(lba, blocks, blockCount);
        }
        return null;
    }

    private static void release(ByteBuf owned) {
        if (owned != null) {
            owned.release();
        }
    }

    private <T> CompletableFuture<T> locked(long lba, long blocks, Supplier<T> work) {
        return locked(lba, blocks, null, work);
    }

    /**
     * Runs {@code work} under the extent lock on the volume's executor; {@code owned} (released
     * by the work) is released here instead when the work never runs, as when the volume was
     * closed with the write still queued.
     */
    private <T> CompletableFuture<T> locked(long lba, long blocks, ByteBuf owned, Supplier<T> work) {
        AtomicBoolean ran = new AtomicBoolean();
        CompletableFuture<T> done = locks.acquire(lba, blocks).thenApplyAsync(lease -> {
            ran.set(true);
            try (lease) {
                return work.get();
            }
        }, executor);
        if (owned != null) {
            done.whenComplete((result, failure) -> {
                if (failure != null && !ran.get()) {
                    release(owned);
                }
            });
        }
        return done;
    }

    private ByteBuf readNow(long lba, int blocks) {
        ByteBuf out = ByteBufAllocator.DEFAULT.buffer(blocks * BLOCK_SIZE);
        for (long b = lba; b < lba + blocks; b++) {
            byte[] page = pages.get(b / BLOCKS_PER_PAGE);
            if (page == null) {
                out.writeZero(BLOCK_SIZE);
            } else {
                out.writeBytes(page, (int) (b % BLOCKS_PER_PAGE) * BLOCK_SIZE, BLOCK_SIZE);
            }
        }
        return out;
    }

    /** Writes whole blocks from {@code data} (borrowed) and frees pages that end up all zero. */
    private void writeNow(long lba, ByteBuf data) {
        int blocks = data.readableBytes() / BLOCK_SIZE;
        for (int i = 0; i < blocks; i++) {
            long b = lba + i;
            long pageIndex = b / BLOCKS_PER_PAGE;
            byte[] page = pages.computeIfAbsent(pageIndex, k -> new byte[PAGE_SIZE]);
            data.getBytes(data.readerIndex() + i * BLOCK_SIZE, page, (int) (b % BLOCKS_PER_PAGE) * BLOCK_SIZE, BLOCK_SIZE);
            if (isZero(page)) {
                pages.remove(pageIndex);
            }
        }
    }

    private static boolean isZero(byte[] page) {
        for (byte value : page) {
            if (value != 0) {
                return false;
            }
        }
        return true;
    }

    private List<LbaStatus> statusNow(long lba, long maxBlocks) {
        List<LbaStatus> extents = new ArrayList<>();
        long start = lba;
        LbaStatus.State state = stateOf(lba);
        long end = lba + Math.max(1, Math.min(maxBlocks, 1L << 20));
        for (long b = lba + 1; b < end; b++) {
            LbaStatus.State s = stateOf(b);
            if (s != state) {
                extents.add(new LbaStatus(start, b - start, state));
                start = b;
                state = s;
            }
        }
        extents.add(new LbaStatus(start, end - start, state));
        return extents;
    }

    private LbaStatus.State stateOf(long lba) {
        return pages.containsKey(lba / BLOCKS_PER_PAGE) ? LbaStatus.State.MAPPED : LbaStatus.State.DEALLOCATED;
    }
}
