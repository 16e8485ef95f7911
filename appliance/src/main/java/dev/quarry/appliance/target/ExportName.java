package dev.quarry.appliance.target;

/**
 * What a LUN exports, as the admin names it: a volume ({@code vol}) or a snapshot of one
 * ({@code vol@snap}, as zfs and rbd write it). Volume and snapshot names never contain '@', so
 * the split is unambiguous.
 *
 * <p>Immutable and thread-safe.
 *
 * @param volume the volume
 * @param snapshot the snapshot of it, or null for the volume itself
 */
public record ExportName(String volume, String snapshot) {

    /** The separator of {@code volume@snapshot}. */
    public static final char SEPARATOR = '@';

    public ExportName {
        if (volume == null || volume.isEmpty() || (snapshot != null && snapshot.isEmpty())) {
            throw new IllegalArgumentException("a LUN exports a volume or volume@snapshot");
        }
    }

    /** {@code vol} or {@code vol@snap}; anything else is an {@link IllegalArgumentException}. */
    public static ExportName parse(String text) {
        int at = text == null ? -1 : text.indexOf(SEPARATOR);
        if (at < 0) {
            return new ExportName(text, null);
        }
        if (text.indexOf(SEPARATOR, at + 1) >= 0) {
            throw new IllegalArgumentException("a snapshot is named volume@snapshot: " + text);
        }
        return new ExportName(text.substring(0, at), text.substring(at + 1));
    }

    /** Whether this names a snapshot (always exported read-only). */
    public boolean isSnapshot() {
        return snapshot != null;
    }

    @Override
    public String toString() {
        return snapshot == null ? volume : volume + SEPARATOR + snapshot;
    }
}
