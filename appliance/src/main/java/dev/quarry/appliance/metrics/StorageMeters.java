package dev.quarry.appliance.metrics;

import dev.quarry.volume.VolumeManager;
import dev.quarry.volume.disk.DiskState;
import dev.quarry.volume.disk.DiskStatistics;
import dev.quarry.volume.gc.CleanerStatistics;
import dev.quarry.volume.pool.PoolRecord;
import dev.quarry.volume.pool.PoolStatistics;
import dev.quarry.volume.thin.VolumeRecord;
import dev.quarry.volume.thin.VolumeStatistics;
import io.micrometer.core.instrument.Tags;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NoSuchElementException;

/**
 * Pools, their disks, volumes (with their snapshots' space) and the cleaner, read from the volume
 * manager's statistics at each scrape: in-memory figures, but for one RocksDB point read per volume
 * (its snapshot usage counter); nothing here touches a disk.
 *
 * <p>Thread-safe (called under the scrape's lock).
 */
final class StorageMeters {

    private static final String BYTES = "bytes";

    private final VolumeManager volumes;

    StorageMeters(VolumeManager volumes) {
        this.volumes = volumes;
    }

    void refresh(RefreshedMeters m) {
        List<PoolRecord> pools = volumes.pools().listPools();
        Map<Integer, String> poolNames = new HashMap<>();
        pools.forEach(p -> poolNames.put(p.id(), p.name()));
        Map<Integer, Long> provisioned = new HashMap<>();
        for (VolumeRecord volume : volumes.volumes().listVolumes()) {
            provisioned.merge(volume.poolId(), volume.sizeBytes(), Long::sum);
            refreshVolume(m, volume, poolNames.getOrDefault(volume.poolId(), "unknown"));
        }
        for (PoolRecord pool : pools) {
            refreshPool(m, pool.name(), volumes.pools().statistics(pool.name()), provisioned.getOrDefault(pool.id(), 0L));
        }
        refreshCleaner(m, volumes.cleanerStatistics());
    }

    private static void refreshPool(RefreshedMeters m, String pool, PoolStatistics s, long provisioned) {
        Tags tags = Tags.of("pool", pool);
        m.gauge("quarry.pool.capacity", BYTES, "Bytes in the segments of the pool's online and draining disks", tags,
                s.capacityBytes());
        m.gauge("quarry.pool.allocated", BYTES, "Bytes of live chunk records: what the pool's volumes hold", tags,
                s.usedBytes());
        m.gauge("quarry.pool.physical.used", BYTES, "Bytes in allocated segments, live or not yet cleaned", tags,
                s.physicalUsedBytes());
        m.gauge("quarry.pool.free.segments", null, "Segments not allocated on the pool's disks", tags,
                s.freeSegments());
        m.gauge("quarry.pool.soft.threshold", BYTES, "Allocated bytes at which volumes raise the thin-provisioning unit attention",
                tags, s.softThresholdBytes());
        m.gauge("quarry.pool.hard.limit", BYTES, "Allocated bytes beyond which writes needing space fail", tags,
                s.hardLimitBytes());
        m.gauge("quarry.pool.provisioned", BYTES, "Sum of the sizes of the pool's thin volumes", tags, provisioned);
        m.gauge("quarry.pool.overcommit.ratio", null, "Provisioned bytes over capacity (above 1: thin overcommit)", tags,
                s.capacityBytes() == 0 ? Double.NaN : (double) provisioned / s.capacityBytes());
        for (DiskStatistics disk : s.disks()) {
            refreshDisk(m, tags.and("disk", Integer.toString(disk.diskId())), disk);
        }
    }

    private static void refreshDisk(RefreshedMeters m, Tags tags, DiskStatistics d) {
        m.gauge("quarry.disk.capacity", BYTES, "Bytes in the disk's segments", tags, d.capacityBytes());
        m.gauge("quarry.disk.allocated", BYTES, "Bytes of live chunk records on the disk", tags, d.liveBytes());
        m.gauge("quarry.disk.free.segments", null, "Segments of the disk not allocated", tags, d.freeSegments());
        m.counter("quarry.disk.read", BYTES, "Bytes read from the disk since start", tags, d.bytesRead());
        m.counter("quarry.disk.written", BYTES, "Bytes written to the disk since start", tags, d.bytesWritten());
        m.counter("quarry.disk.io.errors", null, "Failed disk operations since start, by operation", tags.and("op", "read"),
                d.readErrors());
        m.counter("quarry.disk.io.errors", null, "Failed disk operations since start, by operation", tags.and("op", "write"),
                d.writeErrors());
        for (DiskState state : DiskState.values()) {
            m.gauge("quarry.disk.state", null, "1 for the disk's current state (online, draining, failed), 0 for the others",
                    tags.and("state", state.name().toLowerCase(Locale.ROOT)), d.state() == state ? 1 : 0);
        }
        m.gauge("quarry.disk.info", null, "1, labelled with the disk's tier class", tags.and("tier", d.tier().name()), 1);
    }

    private void refreshVolume(RefreshedMeters m, VolumeRecord record, String pool) {
        VolumeStatistics s;
        try {
            s = volumes.volumes().statistics(record.name());
        } catch (NoSuchElementException deletedSinceListed) {
            return; // deleted between the listing and this read: it is simply no longer exported
        }
        Tags tags = Tags.of("volume", record.name(), "pool", pool);
        m.gauge("quarry.volume.capacity", BYTES, "The volume's size as hosts see it", tags, s.capacityBytes());
        m.gauge("quarry.volume.mapped", BYTES, "Bytes of the volume's mapped 4 KiB blocks", tags, s.mappedBytes());
        m.gauge("quarry.volume.snapshots", null, "Snapshots of the volume (readable ones and ones being deleted)", tags,
                s.snapshots());
        m.gauge("quarry.volume.snapshot", BYTES, "Bytes of blocks kept only for the volume's snapshots (overwritten since)",
                tags, s.snapshotBytes());
    }

    private static void refreshCleaner(RefreshedMeters m, CleanerStatistics c) {
        Tags none = Tags.empty();
        m.counter("quarry.cleaner.freed.chunks", null, "Chunks released by the reaper since start", none, c.chunksFreed());
        m.counter("quarry.cleaner.cleaned.segments", null, "Segments returned to the free pool since start", none,
                c.segmentsCleaned());
        m.counter("quarry.cleaner.relocated", BYTES, "Bytes of live records the cleaner moved since start", none,
                c.bytesRelocated());
        m.counter("quarry.cleaner.reclaimed", BYTES, "Segment bytes the cleaner returned to the free pool since start",
                none, c.bytesReclaimed());
    }
}
