package dev.quarry.volume.disk;

import java.util.UUID;

/**
 * The durable definition of a backend disk (the {@code disk} column family's value): identity,
 * pool, how to reopen it, tier class, failure domain, state and geometry.
 *
 * <p>Immutable and thread-safe.
 *
 * @param id the disk id (0..65535), unique in the appliance, stored in every placement
 * @param uuid the disk's identity, also written in its on-disk label
 * @param poolId the pool it belongs to
 * @param locator how to reopen it ({@code file:} URI, or another opener's scheme)
 * @param tier the tier class
 * @param failureDomain the failure domain (enclosure, array, site)
 * @param state ONLINE, DRAINING or FAILED
 * @param segmentSize bytes per segment
 * @param segmentCount segments on the disk
 */
public record DiskRecord(int id, UUID uuid, int poolId, String locator, TierClass tier, String failureDomain,
                         DiskState state, int segmentSize, int segmentCount) {

    public DiskRecord withState(DiskState next) {
        return new DiskRecord(id, uuid, poolId, locator, tier, failureDomain, next, segmentSize, segmentCount);
    }

    /** Byte offset of segment {@code segment} on the disk, after the label area. */
    public long segmentOffset(int segment) {
        return DiskLabel.DATA_START + (long) segment * segmentSize;
    }
}
