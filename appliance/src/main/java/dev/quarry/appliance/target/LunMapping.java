package dev.quarry.appliance.target;

/**
 * One LUN of a target: the number hosts see, the volume behind it ({@code vol}, or
 * {@code vol@snap} for a snapshot), and whether it is exported read-only (a read-only export is a
 * logical unit of its own, with its own identity; a snapshot is always read-only).
 *
 * <p>Immutable and thread-safe.
 */
public record LunMapping(int lun, String volume, boolean readOnly) {

    /** The largest LUN number hosts address with flat-space addressing (SAM-5 §4.7.7). */
    public static final int MAX_LUN = 16383;

    public LunMapping {
        if (lun < 0 || lun > MAX_LUN) {
            throw new IllegalArgumentException("LUN must be 0.." + MAX_LUN + ": " + lun);
        }
        if (volume == null || volume.isBlank()) {
            throw new IllegalArgumentException("a LUN needs a volume");
        }
        readOnly = readOnly || ExportName.parse(volume).isSnapshot();
    }

    /** The volume or snapshot this LUN exports. */
    public ExportName exported() {
        return ExportName.parse(volume);
    }
}
