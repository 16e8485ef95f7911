package dev.quarry.appliance.cli;

import dev.quarry.appliance.ExitCodes;

/**
 * Volume names as zfs and rbd users write them: {@code pool/volume}, or {@code volume} alone
 * (volume names are unique in the appliance). {@code pool/volume@snapshot} is recognised and
 * refused until the appliance has snapshots.
 *
 * <p>Immutable and thread-safe.
 *
 * @param pool the pool named, or null
 * @param volume the volume
 */
record Names(String pool, String volume) {

    static Names parse(String text) {
        if (text.contains("@")) {
            throw new CliException(ExitCodes.USAGE, text + " names a snapshot; this appliance does not have snapshots yet");
        }
        int slash = text.indexOf('/');
        if (slash < 0) {
            return new Names(null, text);
        }
        if (slash == 0 || slash == text.length() - 1 || text.indexOf('/', slash + 1) >= 0) {
            throw new CliException(ExitCodes.USAGE, "a volume is pool/volume or volume: " + text);
        }
        return new Names(text.substring(0, slash), text.substring(slash + 1));
    }

    /** {@code pool} required. */
    static Names parseWithPool(String text) {
        Names names = parse(text);
        if (names.pool() == null) {
            throw new CliException(ExitCodes.USAGE, "name the pool too: pool/" + text);
        }
        return names;
    }
}
