package dev.quarry.iscsi.server;

import java.util.Collection;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Which initiators may log in to a target: any, or an explicit list of iSCSI initiator names
 * (compared case-insensitively, as iSCSI names are, RFC 3722).
 *
 * <p>Immutable and thread-safe.
 */
public final class AccessPolicy {

    private static final AccessPolicy ANY = new AccessPolicy(null);

    private final Set<String> allowed;

    private AccessPolicy(Set<String> allowed) {
        this.allowed = allowed;
    }

    /** Every initiator may log in (authentication, if configured, still applies). */
    public static AccessPolicy anyInitiator() {
        return ANY;
    }

    /** Only the initiators named in {@code initiatorNames}. */
    public static AccessPolicy allow(Collection<String> initiatorNames) {
        return new AccessPolicy(initiatorNames.stream().map(AccessPolicy::normalize).collect(Collectors.toUnmodifiableSet()));
    }

    /** Whether {@code initiatorName} may log in. */
    public boolean admits(String initiatorName) {
        return allowed == null || allowed.contains(normalize(initiatorName));
    }

    /** The allowed names, or empty when any initiator is allowed. */
    public Set<String> allowedInitiators() {
        return allowed == null ? Set.of() : allowed;
    }

    private static String normalize(String name) {
        return name.toLowerCase(Locale.ROOT);
    }

    @Override
    public String toString() {
        return allowed == null ? "AccessPolicy[any]" : "AccessPolicy" + allowed;
    }
}
