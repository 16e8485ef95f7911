package dev.quarry.appliance.cli;

import dev.quarry.appliance.ExitCodes;

/**
 * Volume and snapshot names as zfs and rbd users write them: {@code pool/volume} or
 * {@code volume} alone (volume names are unique in the appliance), and
 * {@code [pool/]volume@snapshot} for a snapshot.
 *
 * <p>Immutable and thread-safe.
 *
 * @param pool the pool named, or null
 * @param volume the volume
 * @param snapshot the snapshot named, or null
 */
record Names(String pool, String volume, String snapshot) {

    Names(String pool, String volume) {
        this(pool, volume, null);
    }

    /** A volume: {@code [pool/]volume}; a snapshot name is refused with a pointer to {@code quarry snapshot}. */
    static Names parse(String text) {
        Names names = parseAny(text);
        if (names.snapshot() != null) {
            throw new CliException(ExitCodes.USAGE, text + " names a snapshot; snapshots have their own commands: "
                    + "quarry snapshot show " + text);
        }
        return names;
    }

    /** A volume with its pool: {@code pool/volume}. */
    static Names parseWithPool(String text) {
        Names names = parse(text);
        if (names.pool() == null) {
            throw new CliException(ExitCodes.USAGE, "name the pool too: pool/" + text);
        }
        return names;
    }

    /** A snapshot: {@code [pool/]volume@snapshot}. */
    static Names parseSnapshot(String text) {
        Names names = parseAny(text);
        if (names.snapshot() == null) {
            throw new CliException(ExitCodes.USAGE, "a snapshot is named volume@snapshot or pool/volume@snapshot: " + text);
        }
        return names;
    }

    /** A volume or a snapshot, as a LUN may export either. */
    static Names parseAny(String text) {
        String volumePart = text;
        String snapshot = null;
        int at = text.indexOf('@');
        if (at >= 0) {
            snapshot = text.substring(at + 1);
            volumePart = text.substring(0, at);
            if (snapshot.isEmpty() || snapshot.indexOf('@') >= 0 || volumePart.isEmpty()) {
                throw new CliException(ExitCodes.USAGE, "a snapshot is named volume@snapshot or pool/volume@snapshot: " + text);
            }
        }
        int slash = volumePart.indexOf('/');
        if (slash < 0) {
            return new Names(null, volumePart, snapshot);
        }
        if (slash == 0 || slash == volumePart.length() - 1 || volumePart.indexOf('/', slash + 1) >= 0) {
            throw new CliException(ExitCodes.USAGE, "a volume is pool/volume or volume: " + text);
        }
        return new Names(volumePart.substring(0, slash), volumePart.substring(slash + 1), snapshot);
    }

    /** What the API calls it: {@code volume} or {@code volume@snapshot} (no pool). */
    String exported() {
        return snapshot == null ? volume : volume + "@" + snapshot;
    }
}
