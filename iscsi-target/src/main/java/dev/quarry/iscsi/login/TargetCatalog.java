package dev.quarry.iscsi.login;

import java.util.Optional;

/**
 * The targets a login can reach, and the credentials of discovery sessions.
 *
 * <p>Implementations are thread-safe: logins on every event loop read them while they change.
 *
 * @param <T> the target type the server keeps
 */
public interface TargetCatalog<T extends TargetAccess> {

    /** The target named {@code targetName}, or empty. */
    Optional<T> find(String targetName);

    /** The CHAP credentials discovery sessions must prove, or empty when none is required. */
    Optional<ChapCredentials> discoveryChap();
}
