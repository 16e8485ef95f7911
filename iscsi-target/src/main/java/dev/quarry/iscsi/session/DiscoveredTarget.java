package dev.quarry.iscsi.session;

import java.util.List;
import java.util.Objects;

/**
 * One entry of a SendTargets answer (RFC 7143 §13.3, Appendix C): a target name and the
 * TargetAddress values ({@code address:port,tpgt}) it is reachable at.
 *
 * <p>Immutable and thread-safe.
 */
public record DiscoveredTarget(String name, List<String> addresses) {

    public DiscoveredTarget {
        Objects.requireNonNull(name, "name");
        addresses = List.copyOf(addresses);
    }
}
