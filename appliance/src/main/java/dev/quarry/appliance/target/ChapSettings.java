package dev.quarry.appliance.target;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.quarry.iscsi.login.ChapCredentials;

/**
 * CHAP secrets as stored in the appliance's target configuration (a file readable by its owner
 * only). {@code mutualUser}/{@code mutualSecret} are the target's own credentials for mutual
 * CHAP, or null for one-way CHAP. Never logged: {@link #toString()} hides the secrets.
 *
 * <p>Immutable and thread-safe.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ChapSettings(String user, String secret, String mutualUser, String mutualSecret) {

    public ChapSettings {
        if ((mutualUser == null) != (mutualSecret == null)) {
            throw new IllegalArgumentException("mutual CHAP needs both a user and a secret");
        }
        credentials(user, secret, mutualUser, mutualSecret);
    }

    /** The credentials the login layer checks (which validates lengths and refuses a secret used both ways). */
    public ChapCredentials toCredentials() {
        return credentials(user, secret, mutualUser, mutualSecret);
    }

    private static ChapCredentials credentials(String user, String secret, String mutualUser, String mutualSecret) {
        if (user == null || secret == null) {
            throw new IllegalArgumentException("CHAP needs a user and a secret");
        }
        return mutualUser == null ? ChapCredentials.of(user, secret) : ChapCredentials.mutual(user, secret, mutualUser, mutualSecret);
    }

    @Override
    public String toString() {
        return "ChapSettings[user=" + user + (mutualUser == null ? "" : ", mutualUser=" + mutualUser) + ", secrets hidden]";
    }
}
