package dev.quarry.iscsi.initiator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quarry.block.BlockDevice;
import dev.quarry.block.WriteOptions;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Block I/O for the initiator's tests: random data written and read back through a
 * {@link BlockDevice}, bounded in time, and a write load that records what was acknowledged.
 *
 * <p>Stateless helpers are thread-safe; a {@link WriteLoad} is driven by one test.
 */
final class LunIo {

    static final long TIMEOUT_SECONDS = 20;

    private LunIo() {
    }

    static byte[] random(int bytes) {
        byte[] data = new byte[bytes];
        ThreadLocalRandom.current().nextBytes(data);
        return data;
    }

    static ByteBuf direct(byte[] bytes) {
        return ByteBufAllocator.DEFAULT.directBuffer(bytes.length).writeBytes(bytes);
    }

    static void write(BlockDevice device, long lba, byte[] bytes, WriteOptions options) {
        device.write(lba, direct(bytes), options).orTimeout(TIMEOUT_SECONDS, TimeUnit.SECONDS).join();
    }

    static byte[] read(BlockDevice device, long lba, int blocks) {
        ByteBuf data = device.read(lba, blocks).orTimeout(TIMEOUT_SECONDS, TimeUnit.SECONDS).join();
        try {
            byte[] bytes = new byte[data.readableBytes()];
            data.getBytes(data.readerIndex(), bytes);
            return bytes;
        } finally {
            data.release();
        }
    }

    static void assertReadsBack(BlockDevice device, long lba, byte[] expected) {
        assertThat(read(device, lba, expected.length / device.blockSize())).as("blocks from %d", lba).isEqualTo(expected);
    }

    /**
     * Writes to {@code slots} disjoint regions of {@code slotBytes} each, one write per region in
     * flight at a time (so the last acknowledged write of a region is what it must hold), until
     * {@link #stop()}; remembers every acknowledged write and every failure.
     */
    static final class WriteLoad {
        private final BlockDevice device;
        private final int slotBytes;
        private final long firstLba;
        private final Map<Integer, byte[]> acknowledged = new ConcurrentHashMap<>();
        private final AtomicInteger writes = new AtomicInteger();
        private final AtomicReference<Throwable> failure = new AtomicReference<>();
        private final CompletableFuture<?>[] chains;
        private volatile boolean stopping;

        WriteLoad(BlockDevice device, long firstLba, int slots, int slotBytes) {
            this.device = device;
            this.slotBytes = slotBytes;
            this.firstLba = firstLba;
            this.chains = new CompletableFuture<?>[slots];
            for (int slot = 0; slot < slots; slot++) {
                chains[slot] = next(slot);
            }
        }

        private CompletableFuture<Void> next(int slot) {
            if (stopping) {
                return CompletableFuture.completedFuture(null);
            }
            byte[] bytes = random(slotBytes);
            long lba = firstLba + (long) slot * slotBytes / device.blockSize();
            return device.write(lba, direct(bytes), WriteOptions.CACHED).handle((ok, error) -> {
                if (error != null) {
                    failure.compareAndSet(null, error);
                    return CompletableFuture.<Void>completedFuture(null);
                }
                acknowledged.put(slot, bytes);
                writes.incrementAndGet();
                return next(slot);
            }).thenCompose(f -> f);
        }

        int writes() {
            return writes.get();
        }

        /** Stops issuing writes and waits for those in flight. */
        void stop() {
            stopping = true;
            CompletableFuture.allOf(chains).orTimeout(60, TimeUnit.SECONDS).join();
        }

        Throwable failure() {
            return failure.get();
        }

        /** Every region holds the last write acknowledged for it. */
        void verify() {
            acknowledged.forEach((slot, bytes) -> assertReadsBack(device,
                    firstLba + (long) slot * slotBytes / device.blockSize(), bytes));
        }
    }
}
