package dev.quarry.iscsi.login;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;

/**
 * CHAP credentials of a target (RFC 7143 §12.1.3): the name and secret an initiator must prove
 * (incoming), and optionally the name and secret the target proves back (mutual CHAP).
 * Construction refuses secrets shorter than 12 bytes (RFC 7143 §9.2.1 wants at least 96 random
 * bits) and the same secret for both directions, which would make reflection attacks work.
 *
 * <p>Immutable and thread-safe. {@link #toString()} never shows a secret.
 */
public final class ChapCredentials {

    /** Shortest accepted secret: 12 bytes, 96 bits. */
    public static final int MIN_SECRET_LENGTH = 12;
    /** Longest accepted secret. */
    public static final int MAX_SECRET_LENGTH = 255;

    private final String user;
    private final byte[] secret;
    private final String targetUser;
    private final byte[] targetSecret;

    private ChapCredentials(String user, String secret, String targetUser, String targetSecret) {
        this.user = checkName(user, "user");
        this.secret = checkSecret(secret, "secret");
        this.targetUser = targetUser == null ? null : checkName(targetUser, "targetUser");
        this.targetSecret = targetSecret == null ? null : checkSecret(targetSecret, "targetSecret");
        if (this.targetSecret != null && Arrays.equals(this.secret, this.targetSecret)) {
            throw new IllegalArgumentException("the initiator and target CHAP secrets must differ");
        }
    }

    /** One-way CHAP: the initiator proves {@code user}/{@code secret}. */
    public static ChapCredentials of(String user, String secret) {
        return new ChapCredentials(user, secret, null, null);
    }

    /** Mutual CHAP: additionally the target proves {@code targetUser}/{@code targetSecret}. */
    public static ChapCredentials mutual(String user, String secret, String targetUser, String targetSecret) {
        return new ChapCredentials(user, secret, Objects.requireNonNull(targetUser, "targetUser"),
                Objects.requireNonNull(targetSecret, "targetSecret"));
    }

    /** The name the initiator sends as CHAP_N. */
    public String user() {
        return user;
    }

    /** The name the target answers with as CHAP_N in mutual CHAP. */
    public Optional<String> targetUser() {
        return Optional.ofNullable(targetUser);
    }

    public boolean isMutual() {
        return targetSecret != null;
    }

    byte[] secret() {
        return secret;
    }

    byte[] targetSecret() {
        return targetSecret;
    }

    @Override
    public String toString() {
        return "ChapCredentials[user=" + user + (isMutual() ? ", mutual as " + targetUser : "") + "]";
    }

    private static String checkName(String name, String what) {
        Objects.requireNonNull(name, what);
        if (name.isEmpty() || name.getBytes(StandardCharsets.UTF_8).length > TextCodec.MAX_VALUE_LENGTH) {
            throw new IllegalArgumentException(what + " must be 1.." + TextCodec.MAX_VALUE_LENGTH + " bytes");
        }
        return name;
    }

    private static byte[] checkSecret(String secret, String what) {
        Objects.requireNonNull(secret, what);
        byte[] bytes = secret.getBytes(StandardCharsets.UTF_8);
        if (bytes.length < MIN_SECRET_LENGTH || bytes.length > MAX_SECRET_LENGTH) {
            throw new IllegalArgumentException(what + " must be " + MIN_SECRET_LENGTH + ".." + MAX_SECRET_LENGTH
                    + " bytes long, was " + bytes.length);
        }
        return bytes;
    }
}
