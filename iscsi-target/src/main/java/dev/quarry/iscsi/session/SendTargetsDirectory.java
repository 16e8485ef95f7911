package dev.quarry.iscsi.session;

import java.net.InetSocketAddress;
import java.util.List;

/**
 * The source of SendTargets answers: the targets an initiator may see, with their addresses.
 *
 * <p>Implementations are thread-safe.
 */
@FunctionalInterface
public interface SendTargetsDirectory {

    /**
     * The targets {@code initiatorName} may log in to, as reached through a connection whose
     * local end is {@code localAddress} (the address reported for portals bound to a wildcard;
     * {@code null} when the connection has no IP address).
     */
    List<DiscoveredTarget> targets(String initiatorName, InetSocketAddress localAddress);
}
