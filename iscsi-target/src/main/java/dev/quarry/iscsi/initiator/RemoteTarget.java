package dev.quarry.iscsi.initiator;

import dev.quarry.iscsi.login.ChapCredentials;
import dev.quarry.iscsi.scsi.Lun;
import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.Optional;

/**
 * Where a remote LUN lives: the portal, the target's iSCSI name, the LUN number, and the CHAP
 * credentials for logging in (one-way: we prove {@code user}/{@code secret}; mutual: the target
 * also proves {@code targetUser}/{@code targetSecret}). {@link #toString()} shows no secret.
 *
 * <p>Immutable and thread-safe.
 *
 * @param portal the target portal (an unresolved address is resolved at every connect)
 * @param targetName the target's iSCSI name
 * @param lun the LUN (0..16383)
 * @param chap CHAP credentials, empty for AuthMethod=None
 */
public record RemoteTarget(InetSocketAddress portal, String targetName, int lun, Optional<ChapCredentials> chap) {

    public RemoteTarget {
        Objects.requireNonNull(portal, "portal");
        Objects.requireNonNull(targetName, "targetName");
        Objects.requireNonNull(chap, "chap");
        if (targetName.isEmpty() || targetName.length() > 223) {
            throw new IllegalArgumentException("targetName must be 1..223 characters");
        }
        Lun.encode(lun);
    }

    /** A target reached without authentication. */
    public static RemoteTarget of(InetSocketAddress portal, String targetName, int lun) {
        return new RemoteTarget(portal, targetName, lun, Optional.empty());
    }

    /** The same LUN, logging in with {@code credentials}. */
    public RemoteTarget withChap(ChapCredentials credentials) {
        return new RemoteTarget(portal, targetName, lun, Optional.of(credentials));
    }

    /** {@code host:port/target/lun}, for logs. */
    public String describe() {
        return portal.getHostString() + ":" + portal.getPort() + "/" + targetName + "/" + lun;
    }

    @Override
    public String toString() {
        return "RemoteTarget[" + describe() + chap.map(c -> ", " + c).orElse("") + "]";
    }
}
