package dev.quarry.volume;

import dev.quarry.volume.commit.CommitConfig;
import dev.quarry.volume.disk.DiskOpener;
import dev.quarry.volume.disk.FileDiskOpener;
import dev.quarry.volume.gc.GcConfig;
import dev.quarry.volume.meta.store.StoreConfig;
import java.util.List;

/**
 * The settings of a {@link VolumeManager}; every default is written here.
 *
 * <p>Immutable and thread-safe.
 *
 * @param store RocksDB memory bounds (64 MiB block cache, 64 MiB memtables)
 * @param commit group-commit policy (5 ms, 16384 changes per batch, 262144 pending)
 * @param gc garbage-collection policy
 * @param mapCacheEntries slots of the hot block-map cache (1 Mi slots, 4 GiB of mapped blocks in 32 MiB of heap)
 * @param volumeThreads platform threads of the volume executor (4)
 * @param openers how disks are reopened (file disks)
 */
public record VolumeManagerConfig(StoreConfig store, CommitConfig commit, GcConfig gc, int mapCacheEntries,
                                  int volumeThreads, List<DiskOpener> openers) {

    public static final VolumeManagerConfig DEFAULT = new VolumeManagerConfig(StoreConfig.DEFAULT, CommitConfig.DEFAULT,
            GcConfig.DEFAULT, 1 << 20, 4, List.of(new FileDiskOpener()));

    public VolumeManagerConfig {
        if (volumeThreads < 1 || mapCacheEntries < 0) {
            throw new IllegalArgumentException("volumeThreads must be positive and mapCacheEntries not negative");
        }
        openers = List.copyOf(openers);
    }

    public VolumeManagerConfig withOpeners(List<DiskOpener> more) {
        return new VolumeManagerConfig(store, commit, gc, mapCacheEntries, volumeThreads, more);
    }

    public VolumeManagerConfig withGc(GcConfig next) {
        return new VolumeManagerConfig(store, commit, next, mapCacheEntries, volumeThreads, openers);
    }
}
