package dev.quarry.iscsi.session;

/**
 * What an admin sees of a live session: its TSIH, the initiator port (name and ISID) and the
 * target (empty for a discovery session).
 *
 * <p>Immutable and thread-safe.
 */
public record SessionSummary(int tsih, String initiatorName, long isid, String targetName) {
}
