package dev.quarry.block;

import java.util.concurrent.CompletableFuture;

/** Range checks shared by block devices, so every implementation answers out-of-range requests alike. */
public final class BlockRange {

    private BlockRange() {
    }

    /** Whether {@code blocks} blocks from {@code lba} lie within {@code capacity} blocks, without overflow. */
    public static boolean fits(long lba, long blocks, long capacity) {
        return lba >= 0 && blocks >= 0 && lba <= capacity && blocks <= capacity - lba;
    }

    /** A future failed with {@link SenseCode#LBA_OUT_OF_RANGE} for the given request. */
    public static <T> CompletableFuture<T> outOfRange(long lba, long blocks, long capacity) {
        return CompletableFuture.failedFuture(new BlockIoException(SenseCode.LBA_OUT_OF_RANGE,
                "blocks " + Long.toUnsignedString(lba) + "+" + blocks + " beyond capacity " + capacity));
    }
}
