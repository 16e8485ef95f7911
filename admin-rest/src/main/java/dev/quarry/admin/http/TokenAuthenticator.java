package dev.quarry.admin.http;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Checks {@code Authorization: Bearer <token>} against the configured tokens. Only SHA-256
 * digests of the tokens are kept, and a presented token is compared with every one of them in
 * constant time, so neither memory dumps nor timing reveal a token. Tokens are never logged.
 *
 * <p>Immutable and thread-safe; cheap enough (one SHA-256 of a short string) for the event loop.
 */
public final class TokenAuthenticator {

    /** Every request is allowed: for tests and a demo bound to loopback, never for {@code quarry serve}. */
    public static final TokenAuthenticator DISABLED = new TokenAuthenticator(List.of(), false);

    /** Tokens shorter than this are refused at configuration time: they can be guessed. */
    public static final int MIN_TOKEN_LENGTH = 16;
    private static final String BEARER = "Bearer ";

    private record Entry(byte[] digest, Role role) {
    }

    private final List<Entry> entries;
    private final boolean enabled;

    private TokenAuthenticator(List<Entry> entries, boolean enabled) {
        this.entries = entries;
        this.enabled = enabled;
    }

    /**
     * An authenticator admitting {@code tokens} with their roles.
     *
     * @throws IllegalArgumentException when a token is shorter than {@link #MIN_TOKEN_LENGTH} (the
     *     message does not show it)
     */
    public static TokenAuthenticator of(Map<String, Role> tokens) {
        List<Entry> entries = new ArrayList<>();
        tokens.forEach((token, role) -> {
            if (token == null || token.length() < MIN_TOKEN_LENGTH || !token.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
                throw new IllegalArgumentException("every token must be at least " + MIN_TOKEN_LENGTH
                        + " printable ASCII characters without spaces (one with role " + role + " is not)");
            }
            entries.add(new Entry(digest(token), role));
        });
        return new TokenAuthenticator(List.copyOf(entries), true);
    }

    public boolean enabled() {
        return enabled;
    }

    /** The role of the token in {@code authorization} (the header's value), or empty when it is absent or unknown. */
    public Optional<Role> authenticate(String authorization) {
        if (!enabled) {
            return Optional.of(Role.ADMIN);
        }
        if (authorization == null || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return Optional.empty();
        }
        byte[] presented = digest(authorization.substring(BEARER.length()).trim());
        Role found = null;
        for (Entry entry : entries) {
            if (MessageDigest.isEqual(entry.digest(), presented) && found == null) {
                found = entry.role();
            }
        }
        return Optional.ofNullable(found);
    }

    private static byte[] digest(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
