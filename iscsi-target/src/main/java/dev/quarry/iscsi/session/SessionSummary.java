package dev.quarry.iscsi.session;

import java.time.Instant;

/**
 * What an admin sees of a live session: its TSIH, the initiator port (name and ISID), the target
 * (empty for a discovery session), where the connection comes from and goes to, and since when.
 *
 * <p>Immutable and thread-safe.
 *
 * @param initiatorAddress the initiator's end of the connection, "host:port"
 * @param portalAddress the portal it connected to, "host:port"
 * @param loggedIn when the login completed
 */
public record SessionSummary(int tsih, String initiatorName, long isid, String targetName, String initiatorAddress,
                             String portalAddress, Instant loggedIn) {
}
