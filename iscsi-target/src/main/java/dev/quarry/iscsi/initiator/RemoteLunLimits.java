package dev.quarry.iscsi.initiator;

/**
 * What a remote LUN accepts, from its Block Limits and Logical Block Provisioning VPD pages
 * (SBC-3 §6.5.3, §6.5.4) and READ CAPACITY(16), combined with our own transfer limit.
 *
 * <p>Immutable and thread-safe.
 *
 * @param maxTransferBlocks the most blocks one READ or WRITE carries (larger requests are split)
 * @param optimalGranularityBlocks the remote's preferred alignment, in blocks (1 when unknown)
 * @param unmapSupported whether UNMAP is advertised (LBPME in READ CAPACITY(16) and LBPU in VPD B2h)
 * @param maxUnmapBlocks the most blocks one UNMAP may name
 * @param maxUnmapDescriptors the most block descriptors one UNMAP may carry
 */
public record RemoteLunLimits(int maxTransferBlocks, int optimalGranularityBlocks, boolean unmapSupported,
                              long maxUnmapBlocks, int maxUnmapDescriptors) {

    public RemoteLunLimits {
        if (maxTransferBlocks < 1 || optimalGranularityBlocks < 1) {
            throw new IllegalArgumentException("limits must be positive");
        }
    }
}
