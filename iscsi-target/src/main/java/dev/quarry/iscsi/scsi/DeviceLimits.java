package dev.quarry.iscsi.scsi;

import dev.quarry.block.AtomicWriteLimits;
import dev.quarry.block.BlockVolume;
import dev.quarry.block.Provisioning;
import dev.quarry.block.SanitizeMethod;
import java.util.Set;

/**
 * The limits a logical unit reports in the Block Limits VPD page (SBC-3 §6.5.3) and enforces, in
 * logical blocks, derived once from its volume.
 *
 * <p>Immutable and thread-safe.
 *
 * @param blockSize bytes per logical block
 * @param maxTransferBlocks the most blocks one READ, WRITE, VERIFY or PRE-FETCH may name
 * @param optimalTransferBlocks the transfer size that performs best
 * @param optimalGranularityBlocks the physical block, as a number of logical blocks
 * @param maxCompareAndWriteBlocks the most blocks one COMPARE AND WRITE may name
 * @param maxWriteSameBlocks the most blocks one WRITE SAME may name
 * @param maxUnmapBlocks the most blocks one UNMAP may name (0: UNMAP not offered)
 * @param maxUnmapDescriptors the most descriptors one UNMAP may carry
 * @param unmapGranularity the optimal unmap granularity
 * @param atomic the atomic write limits, capped at the maximum transfer length
 * @param sanitizeMethods the sanitize methods the volume really performs
 */
record DeviceLimits(int blockSize, int maxTransferBlocks, int optimalTransferBlocks, int optimalGranularityBlocks,
                    int maxCompareAndWriteBlocks, long maxWriteSameBlocks, long maxUnmapBlocks, int maxUnmapDescriptors,
                    int unmapGranularity, AtomicWriteLimits atomic, Set<SanitizeMethod> sanitizeMethods) {

    DeviceLimits {
        sanitizeMethods = Set.copyOf(sanitizeMethods);
    }

    /**
     * Largest transfer, in bytes, that one command may move: 32 MiB, the largest I/O ESXi issues
     * by default (and what libiscsi's tests send). The transport buffers a command's Data-Out
     * whole, so its command window bounds the memory this takes.
     */
    static final int MAX_TRANSFER_BYTES = 32 << 20;
    /** The transfer size, in bytes, hosts should prefer. */
    static final int OPTIMAL_TRANSFER_BYTES = 1 << 20;
    /** Largest WRITE SAME, in blocks; WRITE SAME with NUMBER OF BLOCKS 0 may reach the end only within it. */
    static final long MAX_WRITE_SAME_BLOCKS = 1L << 22;
    /** Cap on the unmap LBA count reported, whatever the volume allows (libiscsi and hosts expect ≤ 1 Mi). */
    static final long MAX_UNMAP_BLOCKS = 1L << 20;
    /** COMPARE AND WRITE length limit (the field is one byte). */
    static final int MAX_COMPARE_AND_WRITE_BLOCKS = 255;

    /** The limits of {@code volume}. */
    static DeviceLimits of(BlockVolume volume) {
        int blockSize = volume.blockSize();
        int maxTransfer = MAX_TRANSFER_BYTES / blockSize;
        Provisioning provisioning = volume.provisioning();
        AtomicWriteLimits atomic = volume.atomicWriteLimits();
        AtomicWriteLimits capped = atomic.supported()
                ? new AtomicWriteLimits(Math.min(atomic.maxBlocks(), maxTransfer), atomic.alignment(), atomic.granularity())
                : AtomicWriteLimits.NONE;
        boolean thin = provisioning.thin();
        return new DeviceLimits(blockSize, maxTransfer, Math.max(1, OPTIMAL_TRANSFER_BYTES / blockSize),
                1 << volume.physicalBlockExponent(), Math.min(MAX_COMPARE_AND_WRITE_BLOCKS, maxTransfer / 2),
                MAX_WRITE_SAME_BLOCKS, thin ? Math.min(provisioning.maxUnmapBlocks(), MAX_UNMAP_BLOCKS) : 0,
                thin ? provisioning.maxUnmapDescriptors() : 0, provisioning.unmapGranularity(), capped,
                volume.sanitizeMethods());
    }
}
