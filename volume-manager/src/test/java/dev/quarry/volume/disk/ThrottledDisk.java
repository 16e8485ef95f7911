package dev.quarry.volume.disk;

import dev.quarry.block.BlockDevice;
import dev.quarry.block.WriteOptions;
import io.netty.buffer.ByteBuf;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A bandwidth-limited decorator for tests: a token bucket of {@code bytesPerSecond} (burst of
 * 64 KiB) delays the completion of each read and write by the time its bytes take at that rate,
 * like a disk whose throughput is the bottleneck. Transfers queue behind each other (one
 * "head"), so more disks mean more bandwidth.
 *
 * <p>Thread-safe.
 */
public final class ThrottledDisk implements BlockDevice {

    private final BlockDevice inner;
    private final double bytesPerNano;
    private final ScheduledExecutorService timer;
    private long nextFreeNanos = System.nanoTime();

    public ThrottledDisk(BlockDevice inner, long bytesPerSecond) {
        this.inner = inner;
        this.bytesPerNano = bytesPerSecond / 1e9;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "throttle");
            t.setDaemon(true);
            return t;
        });
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
        long delay = reserve((long) blocks * blockSize());
        return inner.read(lba, blocks).thenCompose(buf -> after(delay, buf));
    }

    @Override
    public CompletableFuture<Void> write(long lba, ByteBuf data, WriteOptions options) {
        long delay = reserve(data.readableBytes());
        return inner.write(lba, data, options).thenCompose(ok -> after(delay, null));
    }

    @Override
    public boolean localWrites() {
        return inner.localWrites();
    }

    @Override
    public CompletableFuture<Void> flush() {
        return inner.flush();
    }

    @Override
    public CompletableFuture<Void> unmap(long lba, long blocks) {
        return inner.unmap(lba, blocks);
    }

    @Override
    public void close() {
        timer.shutdownNow();
        inner.close();
    }

    /** Takes {@code bytes} from the bucket; returns how long (ns from now) until they have passed. */
    private synchronized long reserve(long bytes) {
        long now = System.nanoTime();
        long start = Math.max(now - (long) (65536 / bytesPerNano), nextFreeNanos);
        nextFreeNanos = start + (long) (bytes / bytesPerNano);
        return Math.max(0, nextFreeNanos - now);
    }

    private <T> CompletableFuture<T> after(long delayNanos, T value) {
        CompletableFuture<T> done = new CompletableFuture<>();
        timer.schedule(() -> done.complete(value), delayNanos, TimeUnit.NANOSECONDS);
        return done;
    }
}
