package dev.quarry.iscsi.session;

import java.util.Objects;

/**
 * What identifies a session for reinstatement (RFC 7143 §4.4.3): the initiator port (name and
 * ISID) and the target name; Discovery sessions use the empty target name.
 *
 * <p>Immutable and thread-safe.
 */
public record SessionKey(String initiatorName, long isid, String targetName) {

    public SessionKey {
        Objects.requireNonNull(initiatorName, "initiatorName");
        Objects.requireNonNull(targetName, "targetName");
    }
}
