package dev.quarry.iscsi.login;

import dev.quarry.iscsi.pdu.LoginStatus;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * The target side of CHAP with MD5 (RFC 7143 §12.1.3, RFC 1994): issues a fresh random
 * identifier and a 16-byte challenge from a {@code SecureRandom}, verifies the initiator's
 * response in constant time, and for mutual CHAP answers the initiator's challenge, refusing a
 * challenge that reflects its own (RFC 7143 §9.2.1).
 *
 * <p>Response = MD5(identifier byte ‖ secret ‖ challenge). Only algorithm 5 (MD5) is offered: the
 * numbers of the SHA algorithms differ between implementations (tgt treats 7 as SHA-1, LIO as
 * SHA-256).
 *
 * <p>Not thread-safe; one instance per login, confined to the channel event loop.
 */
public final class ChapAuthenticator {

    /** The CHAP_A value of CHAP with MD5. */
    static final String MD5_ALGORITHM = "5";
    /** Challenge length: the MD5 digest size. */
    static final int CHALLENGE_LENGTH = 16;
    private static final int MD5_LENGTH = 16;

    private final ChapCredentials credentials;
    private final RandomGenerator random;
    private int identifier = -1;
    private byte[] challenge;

    /**
     * @param random source of identifiers and challenges; a {@code SecureRandom} in production
     */
    public ChapAuthenticator(ChapCredentials credentials, RandomGenerator random) {
        this.credentials = credentials;
        this.random = random;
    }

    /**
     * Answers the initiator's CHAP_A list with CHAP_A, CHAP_I and CHAP_C. Only the exact token
     * {@code 5} selects MD5 ({@code 55} or {@code 5x} do not).
     *
     * @throws LoginException 0x0201 when MD5 is not in the list
     */
    public List<KeyValue> challenge(String algorithms) throws LoginException {
        if (!Arrays.asList(algorithms.split(",", -1)).contains(MD5_ALGORITHM)) {
            throw new LoginException(LoginStatus.AUTHENTICATION_FAILURE, "no supported CHAP_A in " + algorithms);
        }
        identifier = random.nextInt(256);
        challenge = new byte[CHALLENGE_LENGTH];
        random.nextBytes(challenge);
        return List.of(new KeyValue(TextKey.CHAP_A, MD5_ALGORITHM), new KeyValue(TextKey.CHAP_I, Integer.toString(identifier)),
                new KeyValue(TextKey.CHAP_C, ChapValues.hex(challenge)));
    }

    /**
     * Verifies CHAP_N and CHAP_R and, when the initiator sent CHAP_I and CHAP_C, returns the
     * target's CHAP_N and CHAP_R (mutual CHAP); otherwise returns no keys.
     *
     * @throws LoginException 0x0201 on a wrong name or response, a reflected challenge, or a
     *     mutual request without target credentials; 0x0200 on malformed values
     */
    public List<KeyValue> verify(Map<String, String> keys) throws LoginException {
        if (challenge == null) {
            throw new LoginException(LoginStatus.AUTHENTICATION_FAILURE, "CHAP response without a challenge");
        }
        String name = keys.get(TextKey.CHAP_N);
        String response = keys.get(TextKey.CHAP_R);
        if (name == null || response == null) {
            throw new LoginException(LoginStatus.AUTHENTICATION_FAILURE, "CHAP_N and CHAP_R are required");
        }
        byte[] responseBytes = ChapValues.binary(TextKey.CHAP_R, response);
        String mutualId = keys.get(TextKey.CHAP_I);
        String mutualChallenge = keys.get(TextKey.CHAP_C);
        if ((mutualId == null) != (mutualChallenge == null)) {
            throw new LoginException(LoginStatus.INITIATOR_ERROR, "CHAP_I and CHAP_C must come together");
        }
        int initiatorId = mutualId == null ? -1 : ChapValues.number(TextKey.CHAP_I, mutualId, 255);
        byte[] initiatorChallenge = mutualChallenge == null ? null : ChapValues.binary(TextKey.CHAP_C, mutualChallenge);
        if (initiatorChallenge != null && MessageDigest.isEqual(initiatorChallenge, challenge)) {
            throw new LoginException(LoginStatus.AUTHENTICATION_FAILURE, "initiator reflected the target's CHAP challenge");
        }
        byte[] expected = response(identifier, credentials.secret(), challenge);
        boolean nameMatches = MessageDigest.isEqual(name.getBytes(StandardCharsets.UTF_8),
                credentials.user().getBytes(StandardCharsets.UTF_8));
        boolean responseMatches = responseBytes.length == MD5_LENGTH && MessageDigest.isEqual(responseBytes, expected);
        challenge = null;
        if (!nameMatches || !responseMatches) {
            throw new LoginException(LoginStatus.AUTHENTICATION_FAILURE, "CHAP authentication failed for " + name);
        }
        if (initiatorChallenge == null) {
            return List.of();
        }
        if (!credentials.isMutual()) {
            throw new LoginException(LoginStatus.AUTHENTICATION_FAILURE, "mutual CHAP requested but not configured");
        }
        byte[] answer = response(initiatorId, credentials.targetSecret(), initiatorChallenge);
        return List.of(new KeyValue(TextKey.CHAP_N, credentials.targetUser().orElseThrow()),
                new KeyValue(TextKey.CHAP_R, ChapValues.hex(answer)));
    }

    /** MD5(identifier ‖ secret ‖ challenge), RFC 1994 §4.1. */
    static byte[] response(int identifier, byte[] secret, byte[] challenge) {
        try {
            MessageDigest md5 = MessageDigest.getInstance("MD5");
            md5.update((byte) identifier);
            md5.update(secret);
            md5.update(challenge);
            return md5.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform provides MD5", e);
        }
    }
}
