package dev.quarry.block;

import io.netty.buffer.ByteBuf;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A read-only view of a volume: reads pass through, every write is refused with
 * {@link SenseCode#WRITE_PROTECTED}. The view does not own the volume: closing it leaves the
 * volume open.
 *
 * <p>Thread-safe as the underlying volume is.
 */
public final class ReadOnlyVolume extends ReadOnlyBlockVolume {

    private final BlockVolume volume;

    public ReadOnlyVolume(BlockVolume volume) {
        super("read-only export");
        this.volume = java.util.Objects.requireNonNull(volume, "volume");
    }

    @Override
    public int blockSize() {
        return volume.blockSize();
    }

    @Override
    public long blockCount() {
        return volume.blockCount();
    }

    @Override
    public int physicalBlockExponent() {
        return volume.physicalBlockExponent();
    }

    @Override
    public Provisioning provisioning() {
        return volume.provisioning();
    }

    @Override
    public CompletableFuture<ByteBuf> read(long lba, int blocks) {
        return volume.read(lba, blocks);
    }

    @Override
    public CompletableFuture<List<LbaStatus>> provisioningStatus(long lba, long maxBlocks) {
        return volume.provisioningStatus(lba, maxBlocks);
    }

    @Override
    public AutoCloseable subscribe(VolumeEventListener listener) {
        return volume.subscribe(listener);
    }

    /** The view owns nothing; the volume stays open. */
    @Override
    public void close() {
        // Deliberately empty: the underlying volume belongs to whoever opened it.
    }
}
