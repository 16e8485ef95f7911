package dev.quarry.volume.disk;

/**
 * A snapshot of one backend disk's figures, for the metrics layer and the admin API.
 *
 * <p>Immutable and thread-safe.
 *
 * @param diskId the disk id
 * @param state its state
 * @param tier its tier class
 * @param capacityBytes bytes in its segments
 * @param freeSegments segments not allocated
 * @param liveBytes bytes of live chunk records on it
 * @param bytesRead bytes read since start
 * @param bytesWritten bytes written since start
 * @param readErrors failed reads since start
 * @param writeErrors failed writes and flushes since start
 */
public record DiskStatistics(int diskId, DiskState state, TierClass tier, long capacityBytes, int freeSegments,
                             long liveBytes, long bytesRead, long bytesWritten, long readErrors, long writeErrors) {
}
