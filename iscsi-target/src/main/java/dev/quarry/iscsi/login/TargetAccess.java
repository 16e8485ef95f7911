package dev.quarry.iscsi.login;

import java.util.Optional;

/**
 * What login needs to know of one exported target: its alias, who may log in, and the CHAP
 * credentials it demands. Implemented by the server's target entries.
 *
 * <p>Implementations are immutable and thread-safe.
 */
public interface TargetAccess {

    /** The iSCSI target name. */
    String name();

    /** The TargetAlias to declare, or empty. */
    Optional<String> alias();

    /** Whether {@code initiatorName} may log in (RFC 7143 §11.13.5: 0x0202 otherwise). */
    boolean admits(String initiatorName);

    /** The CHAP credentials the initiator must prove, or empty when no authentication is required. */
    Optional<ChapCredentials> chap();
}
