package dev.quarry.volume.snapshot;

import dev.quarry.volume.commit.Committer;
import dev.quarry.volume.commit.Mutation;
import dev.quarry.volume.map.MapValue;
import dev.quarry.volume.thin.ThinVolume;

/**
 * Rolls a volume back to one of its snapshots: every block whose committed head differs from its
 * mapping at the snapshot's epoch is remapped to that mapping (or unmapped) by ordinary
 * mutations stamped with the volume's retention, so the committer keeps what newer snapshots
 * still see and releases the rest, and the snapshot's chunks gain a reference each.
 *
 * <p>Not thread-safe: one use, run exclusively on the volume (no other I/O) after a flush.
 */
final class VolumeRollback {

    private static final int OPS_PER_MUTATION = 1024;

    private final EpochMap map;
    private final Committer committer;

    VolumeRollback(EpochMap map, Committer committer) {
        this.map = map;
        this.committer = committer;
    }

    /** Remaps the blocks of {@code volume} to {@code snapshot}; returns how many changed. Blocks until committed. */
    long run(ThinVolume volume, SnapshotRecord snapshot, SnapshotJob job) {
        committer.flush().join();
        int volumeId = volume.record().id();
        long blocks = volume.record().sizeBytes() / 4096;
        Mutation[] pending = {null};
        long[] changed = {0};
        map.forEachBlock(volumeId, 0, blocks, snapshot.epoch(), (block, head, atEpoch) -> {
            job.reached(block * 4096);
            if (sameChunk(head, atEpoch)) {
                return true;
            }
            if (pending[0] == null) {
                pending[0] = new Mutation(volumeId, false, volume.retention());
            }
            if (atEpoch == null) {
                pending[0].unmap(block);
            } else {
                pending[0].map(block, atEpoch);
            }
            changed[0]++;
            if (pending[0].size() >= OPS_PER_MUTATION) {
                committer.submit(pending[0]);
                pending[0] = null;
            }
            return true;
        });
        if (pending[0] != null) {
            committer.submit(pending[0]);
        }
        committer.flush().join();
        return changed[0];
    }

    private static boolean sameChunk(MapValue a, MapValue b) {
        return a == null ? b == null : b != null && a.chunkId() == b.chunkId();
    }
}
