/**
 * Pools of backend disks: placement of new chunks across disks, space accounting and thresholds, disk membership, and the admin {@code PoolService}.
 */
package dev.quarry.volume.pool;
