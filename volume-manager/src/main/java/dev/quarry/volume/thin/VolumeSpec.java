package dev.quarry.volume.thin;

import dev.quarry.volume.disk.TierClass;
import dev.quarry.volume.pool.Names;

/**
 * What the admin asks for when creating a thin volume.
 *
 * <p>Immutable and thread-safe.
 *
 * @param name unique name
 * @param sizeBytes capacity, a positive multiple of 4096
 * @param pool the pool's name
 * @param tier where its chunks land, or null for the pool's default
 */
public record VolumeSpec(String name, long sizeBytes, String pool, TierClass tier) {

    public VolumeSpec {
        Names.check(name);
        Names.check(pool);
        if (sizeBytes <= 0 || sizeBytes % Blocks.BLOCK_BYTES != 0) {
            throw new IllegalArgumentException("size must be a positive multiple of 4096: " + sizeBytes);
        }
    }
}
