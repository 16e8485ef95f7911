package dev.quarry.volume.commit;

/**
 * How the committer groups work: it commits when a FUA write or a flush waits, when
 * {@code maxBatchOps} changes are queued, or {@code intervalMillis} after the first queued change;
 * writers are held back (their acknowledgement waits for a commit) while more than
 * {@code maxPendingOps} changes are pending in the overlay.
 *
 * <p>Immutable and thread-safe.
 *
 * @param intervalMillis longest time a change waits before a commit starts
 * @param maxBatchOps most changes in one WriteBatch
 * @param maxPendingOps bound of the in-memory overlay
 */
public record CommitConfig(long intervalMillis, int maxBatchOps, int maxPendingOps) {

    /** 5 ms, 16384 changes per batch, 262144 pending (about 40 MiB of overlay). */
    public static final CommitConfig DEFAULT = new CommitConfig(5, 16384, 262144);

    public CommitConfig {
        if (intervalMillis < 1 || maxBatchOps < 1 || maxPendingOps < maxBatchOps) {
            throw new IllegalArgumentException("bad commit config");
        }
    }
}
