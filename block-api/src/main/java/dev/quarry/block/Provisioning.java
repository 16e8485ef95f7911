package dev.quarry.block;

/**
 * What a volume says of its provisioning (SBC-3 §4.7): whether it is thin, what unmapped blocks
 * read as, and the unmap granularity that lets hosts align UNMAP and WRITE SAME.
 *
 * <p>Immutable and thread-safe.
 *
 * @param thin logical block provisioning management is enabled (LBPME): UNMAP frees space
 * @param unmappedReadsZero deallocated blocks read as zeroes (LBPRZ)
 * @param unmapGranularity the optimal unmap granularity, in logical blocks
 * @param maxUnmapBlocks the most blocks one UNMAP may name (0 when not thin)
 * @param maxUnmapDescriptors the most descriptors one UNMAP may carry (0 when not thin)
 */
public record Provisioning(boolean thin, boolean unmappedReadsZero, int unmapGranularity,
                           long maxUnmapBlocks, int maxUnmapDescriptors) {

    /** A fully provisioned volume: UNMAP is not offered. */
    public static final Provisioning THICK = new Provisioning(false, false, 1, 0, 0);

    public Provisioning {
        if (unmapGranularity < 1) {
            throw new IllegalArgumentException("unmapGranularity must be at least 1: " + unmapGranularity);
        }
        if (maxUnmapBlocks < 0 || maxUnmapDescriptors < 0) {
            throw new IllegalArgumentException("unmap limits must not be negative");
        }
    }
}
