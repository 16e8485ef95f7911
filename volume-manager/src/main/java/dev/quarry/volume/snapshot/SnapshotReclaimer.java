package dev.quarry.volume.snapshot;

import dev.quarry.volume.commit.Retention;
import dev.quarry.volume.meta.schema.BlockMapKey;
import dev.quarry.volume.meta.schema.ChunkKey;
import dev.quarry.volume.meta.schema.IdKey;
import dev.quarry.volume.meta.schema.Schema;
import dev.quarry.volume.meta.schema.ValueCodecs;
import dev.quarry.volume.meta.store.Batch;
import dev.quarry.volume.meta.store.Cursor;
import dev.quarry.volume.meta.store.MetadataStore;
import java.util.function.Supplier;

/**
 * Frees what a deleted snapshot alone kept: walks every kept version of the volume and releases
 * each one no remaining snapshot sees (its chunk reference goes, listed in {@code pendingfree}
 * for the reaper), in batches. Idempotent, so an interrupted reclaim simply runs again.
 *
 * <p>Not thread-safe: one reclaim at a time (the snapshot jobs thread), after the deleted pin is
 * gone from the volume's retention and every write stamped before that is committed.
 */
final class SnapshotReclaimer {

    private static final int BATCH = 4096;

    private final MetadataStore store;

    SnapshotReclaimer(MetadataStore store) {
        this.store = store;
    }

    /**
     * Releases the versions of {@code volumeId} that {@code retention} (read afresh per batch)
     * no longer keeps; reports the block reached; returns how many it released.
     */
    long reclaim(int volumeId, Supplier<Retention> retention, SnapshotJob job) {
        long released = 0;
        byte[] from = BlockMapKey.volumeStart(volumeId);
        byte[] end = BlockMapKey.volumeEnd(volumeId);
        boolean more = true;
        while (more) {
            SnapshotJob.stopIfShuttingDown();
            more = false;
            Retention pins = retention.get();
            try (Batch batch = store.batch(); Cursor c = store.cursor(Schema.BLOCK_MAP, from, end)) {
                int n = 0;
                for (; c.valid() && n < BATCH; c.next()) {
                    byte[] key = c.key();
                    job.reached(BlockMapKey.blockOf(key) * 4096);
                    if (BlockMapKey.isHead(key) || pins.keeps(BlockMapKey.seqOf(key), ValueCodecs.epochOf(c.value()))) {
                        continue;
                    }
                    byte[] chunk = ChunkKey.encode(ValueCodecs.MAP_VALUE.decode(c.value()).chunkId());
                    batch.deleteRaw(Schema.BLOCK_MAP, key);
                    batch.addRaw(Schema.REFCOUNT, chunk, -1);
                    batch.putRaw(Schema.PENDING_FREE, chunk, ValueCodecs.PENDING);
                    n++;
                }
                if (n > 0) {
                    batch.add(Schema.SNAPSHOT_USAGE, new IdKey(volumeId), -n);
                    store.write(batch, true);
                    released += n;
                }
                if (c.valid()) {
                    from = c.key();
                    more = true;
                }
            }
        }
        return released;
    }
}
