package dev.quarry.iscsi.server;

import dev.quarry.iscsi.login.ChapCredentials;
import dev.quarry.iscsi.login.TargetAccess;
import dev.quarry.iscsi.scsi.ScsiTarget;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * One exported iSCSI target: its name and alias, the SCSI target behind it, who may log in, and
 * the CHAP credentials a login must prove. Replace an entry in the {@link TargetRegistry} to
 * change it; sessions already logged in keep what they logged in with.
 *
 * <p>Immutable and thread-safe.
 *
 * @param name the iSCSI target name (iqn., eui. or naa.)
 * @param alias the TargetAlias declared at login, or empty
 * @param chap the credentials initiators must prove (CHAP, optionally mutual), or empty for none
 */
public record TargetEntry(String name, Optional<String> alias, ScsiTarget scsiTarget, AccessPolicy access,
                          Optional<ChapCredentials> chap) implements TargetAccess {

    public TargetEntry {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(alias, "alias");
        Objects.requireNonNull(scsiTarget, "scsiTarget");
        Objects.requireNonNull(access, "access");
        Objects.requireNonNull(chap, "chap");
        String lower = name.toLowerCase(Locale.ROOT);
        if (!(lower.startsWith("iqn.") || lower.startsWith("eui.") || lower.startsWith("naa."))
                || name.getBytes(StandardCharsets.UTF_8).length > 223) {
            throw new IllegalArgumentException("not an iSCSI name (iqn., eui. or naa., at most 223 bytes): " + name);
        }
        alias.ifPresent(a -> {
            if (a.getBytes(StandardCharsets.UTF_8).length > 255) {
                throw new IllegalArgumentException("alias longer than 255 bytes");
            }
        });
    }

    /** A target any initiator may log in to without authentication. */
    public static TargetEntry open(String name, ScsiTarget scsiTarget) {
        return new TargetEntry(name, Optional.empty(), scsiTarget, AccessPolicy.anyInitiator(), Optional.empty());
    }

    public TargetEntry withAlias(String newAlias) {
        return new TargetEntry(name, Optional.of(newAlias), scsiTarget, access, chap);
    }

    public TargetEntry withAccess(AccessPolicy newAccess) {
        return new TargetEntry(name, alias, scsiTarget, newAccess, chap);
    }

    public TargetEntry withChap(ChapCredentials credentials) {
        return new TargetEntry(name, alias, scsiTarget, access, Optional.of(credentials));
    }

    @Override
    public boolean admits(String initiatorName) {
        return access.admits(initiatorName);
    }
}
