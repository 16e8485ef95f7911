package dev.quarry.volume.pool;

import dev.quarry.volume.disk.TierClass;

/**
 * What the admin asks for when adding a backend disk to a pool.
 *
 * <p>Immutable and thread-safe.
 *
 * @param locator how the disk is (re)opened, e.g. {@code file:/dev/sdb}
 * @param tier its tier class
 * @param failureDomain its failure domain (enclosure, array, site)
 */
public record DiskSpec(String locator, TierClass tier, String failureDomain) {

    public DiskSpec {
        if (locator == null || locator.isBlank() || tier == null || failureDomain == null) {
            throw new IllegalArgumentException("locator, tier and failure domain are required");
        }
    }
}
