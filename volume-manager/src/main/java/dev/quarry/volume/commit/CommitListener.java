package dev.quarry.volume.commit;

import dev.quarry.volume.disk.BackendDisk;
import java.util.List;
import java.util.Map;

/**
 * What the rest of the volume manager learns from the committer: accounting deltas after each
 * durable batch, and failures. Called on the committer thread; must not block on I/O.
 *
 * <p>Implementations are thread-safe.
 */
public interface CommitListener {

    /**
     * A batch is written: mapped-block deltas per volume, the new chunks it holds, and the chunks
     * whose reference count it decremented (listed in {@code pendingfree} for the reaper).
     */
    void committed(Map<Integer, Long> mappedBlockDeltas, List<Mutation.NewChunk> chunks, long[] releasedChunks);

    /** The fdatasync of {@code disk} failed: what was written there since the last sync may be lost. */
    void diskSyncFailed(BackendDisk disk, Throwable cause);

    /** A mutation was dropped (its data could not be made durable); its reserved space is returned. */
    void dropped(Mutation mutation);
}
