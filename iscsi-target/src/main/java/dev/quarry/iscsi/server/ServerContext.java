package dev.quarry.iscsi.server;

import dev.quarry.iscsi.session.SendTargetsDirectory;
import dev.quarry.iscsi.session.SessionRegistry;
import java.security.SecureRandom;

/**
 * What every connection of one server shares.
 *
 * <p>Immutable holder of thread-safe parts.
 *
 * @param random source of CHAP challenges and initial StatSNs
 */
record ServerContext(IscsiServerConfig config, TargetRegistry targets, SessionRegistry sessions,
                     SendTargetsDirectory directory, SecureRandom random) {
}
