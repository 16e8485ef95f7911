package dev.quarry.iscsi.server;

import dev.quarry.iscsi.session.DiscoveredTarget;
import dev.quarry.iscsi.session.SendTargetsDirectory;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Comparator;
import java.util.List;
import java.util.function.Supplier;

/**
 * SendTargets answers from the registry and the bound portals (RFC 7143 Appendix C): every target
 * the initiator is admitted to, each reachable at every portal as {@code address:port,tpgt}. A
 * portal bound to a wildcard address is reported with the local address the initiator reached.
 *
 * <p>Thread-safe: reads the registry and the current portal list.
 */
final class PortalDirectory implements SendTargetsDirectory {

    private final TargetRegistry targets;
    private final Supplier<List<InetSocketAddress>> portals;
    private final int portalGroupTag;

    PortalDirectory(TargetRegistry targets, Supplier<List<InetSocketAddress>> portals, int portalGroupTag) {
        this.targets = targets;
        this.portals = portals;
        this.portalGroupTag = portalGroupTag;
    }

    @Override
    public List<DiscoveredTarget> targets(String initiatorName, InetSocketAddress localAddress) {
        List<String> addresses = portals.get().stream()
                .map(portal -> address(portal.getAddress().isAnyLocalAddress() && localAddress != null
                        ? localAddress.getAddress() : portal.getAddress(), portal.getPort()))
                .distinct()
                .toList();
        return targets.targets().stream()
                .filter(entry -> entry.admits(initiatorName))
                .sorted(Comparator.comparing(TargetEntry::name))
                .map(entry -> new DiscoveredTarget(entry.name(), addresses))
                .toList();
    }

    private String address(InetAddress address, int port) {
        String host = address.getHostAddress();
        if (address instanceof Inet6Address) {
            int zone = host.indexOf('%');
            host = "[" + (zone < 0 ? host : host.substring(0, zone)) + "]";
        }
        return host + ":" + port + "," + portalGroupTag;
    }
}
