package dev.quarry.iscsi.scsi;

import dev.quarry.block.SanitizeProgress;
import dev.quarry.block.SanitizeRequest;
import dev.quarry.block.WriteOptions;
import dev.quarry.block.testing.MemoryBlockVolume;
import io.netty.buffer.ByteBuf;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/** A volume whose writes wait at a gate until the test opens it, to hold tasks mid-flight. */
final class GatedVolume extends ForwardingVolume {

    private final CompletableFuture<Void> gate = new CompletableFuture<>();
    private final Semaphore entered = new Semaphore(0);

    GatedVolume() {
        super(new MemoryBlockVolume(ScsiHarness.SIZE), false, false, true);
    }

    @Override
    public CompletableFuture<Void> write(long lba, ByteBuf data, WriteOptions options) {
        entered.release();
        return gate.thenCompose(v -> super.write(lba, data, options));
    }

    /** A sanitize waits at the gate too. */
    @Override
    public CompletableFuture<Void> sanitize(SanitizeRequest request, SanitizeProgress progress) {
        entered.release();
        return gate.thenCompose(v -> super.sanitize(request, progress));
    }

    /** Waits until {@code writes} writes reached the gate. */
    void awaitWrites(int writes) throws InterruptedException {
        if (!entered.tryAcquire(writes, 10, TimeUnit.SECONDS)) {
            throw new AssertionError("writes did not reach the volume");
        }
    }

    void open() {
        gate.complete(null);
    }
}
