package dev.quarry.volume.commit;

import java.util.Arrays;

/**
 * Which superseded mappings of a volume must be kept: the write epoch new mappings are stamped
 * with, and the epochs its snapshots pin. A mapping written at epoch {@code w} and superseded now
 * is seen by a snapshot pinning {@code p} exactly when {@code w <= p < epoch}; only then does the
 * committer keep it as a version instead of releasing its chunk.
 *
 * <p>Immutable and thread-safe. A mutation carries the retention of its volume at the time it was
 * built, under the volume's extent lock, so a snapshot (which changes it under the lock of the
 * whole volume) splits the writes exactly.
 *
 * @param epoch the current write epoch
 * @param pins the epochs pinned by readable snapshots, ascending, each below {@code epoch}
 */
public record Retention(long epoch, long[] pins) {

    /** A volume that never had a snapshot. */
    public static final Retention NONE = new Retention(0, new long[0]);

    public Retention {
        pins = pins.clone();
        for (int i = 0; i < pins.length; i++) {
            if (pins[i] >= epoch || (i > 0 && pins[i] <= pins[i - 1])) {
                throw new IllegalArgumentException("pins must ascend below epoch " + epoch + ": " + Arrays.toString(pins));
            }
        }
    }

    /** Whether a mapping written at {@code writtenAt} and superseded before {@code supersededAt} is seen by a pin. */
    public boolean keeps(long writtenAt, long supersededAt) {
        int at = Arrays.binarySearch(pins, writtenAt);
        int first = at >= 0 ? at : -at - 1;
        return first < pins.length && pins[first] < supersededAt;
    }

    /** Whether a mapping written at {@code writtenAt} and superseded now must be kept. */
    public boolean keeps(long writtenAt) {
        return keeps(writtenAt, epoch);
    }

    /** Whether a snapshot pins anything (else no superseded mapping is kept, whatever its epoch). */
    public boolean pinned() {
        return pins.length > 0;
    }

    @Override
    public long[] pins() {
        return pins.clone();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Retention r && r.epoch == epoch && Arrays.equals(r.pins, pins);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(epoch) * 31 + Arrays.hashCode(pins);
    }

    @Override
    public String toString() {
        return "Retention[epoch=" + epoch + ", pins=" + Arrays.toString(pins) + "]";
    }
}
