package dev.quarry.volume.snapshot;

import dev.quarry.volume.meta.schema.BlockMapKey;
import dev.quarry.volume.meta.schema.ChunkKey;
import dev.quarry.volume.meta.schema.IdKey;
import dev.quarry.volume.meta.schema.Schema;
import dev.quarry.volume.meta.schema.ValueCodecs;
import dev.quarry.volume.meta.store.Batch;
import dev.quarry.volume.meta.store.MetadataStore;
import dev.quarry.volume.thin.VolumeRecord;
import dev.quarry.volume.thin.VolumeRegistry;

/**
 * Copies a snapshot's block map into a clone, sharing every chunk (+1 reference each) instead of
 * copying data; each batch also records in the clone's definition how far the copy got, so an
 * interrupted copy resumes where it stopped after a restart.
 *
 * <p>Not thread-safe: one copy per clone, on the snapshot jobs thread.
 */
final class CloneCopier {

    private static final int BATCH = 4096;

    private final MetadataStore store;
    private final EpochMap map;
    private final VolumeRegistry volumes;

    CloneCopier(MetadataStore store, EpochMap map, VolumeRegistry volumes) {
        this.store = store;
        this.map = map;
        this.volumes = volumes;
    }

    /** Copies {@code snapshot}'s map into {@code clone} from the block its progress names. */
    void copy(SnapshotRecord snapshot, VolumeRecord clone, SnapshotJob job) {
        long blocks = snapshot.sizeBytes() / 4096;
        long from = clone.progress();
        while (from < blocks) {
            SnapshotJob.stopIfShuttingDown();
            long to = Math.min(blocks, from + BATCH);
            long start = from;
            try (Batch batch = store.batch()) {
                long[] mapped = {0};
                map.forEachMapped(snapshot.volumeId(), start, to, snapshot.epoch(), (block, value) -> {
                    batch.putRaw(Schema.BLOCK_MAP, BlockMapKey.head(clone.id(), block), ValueCodecs.mapValueAt(value, 0));
                    batch.addRaw(Schema.REFCOUNT, ChunkKey.encode(value.chunkId()), 1);
                    mapped[0]++;
                    return true;
                });
                if (mapped[0] > 0) {
                    batch.add(Schema.VOLUME_USAGE, new IdKey(clone.id()), mapped[0]);
                }
                batch.put(Schema.VOLUME, new IdKey(clone.id()), clone.cloned(to));
                store.write(batch, true);
                volumes.mappedDelta(clone.id(), mapped[0]);
            }
            job.reached(to * 4096);
            from = to;
        }
    }
}
