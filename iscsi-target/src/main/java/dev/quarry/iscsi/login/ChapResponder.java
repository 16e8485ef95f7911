package dev.quarry.iscsi.login;

import dev.quarry.iscsi.pdu.LoginStatus;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * The initiator side of CHAP with MD5 (RFC 7143 §12.1.3, RFC 1994): offers algorithm 5, answers
 * the target's CHAP_I/CHAP_C with CHAP_N/CHAP_R, and for mutual CHAP sends a fresh random
 * identifier and 16-byte challenge (never equal to the target's, RFC 7143 §9.2.1) and verifies the
 * target's answer in constant time. Values are parsed as strictly as {@link ChapAuthenticator}
 * parses the initiator's.
 *
 * <p>{@link ChapCredentials} read from this side: the initiator proves {@code user}/{@code secret};
 * with mutual credentials the target must prove {@code targetUser}/{@code targetSecret}.
 *
 * <p>Not thread-safe; one instance per login, confined to the channel event loop.
 */
public final class ChapResponder {

    private static final int MD5_LENGTH = 16;

    private final ChapCredentials credentials;
    private final RandomGenerator random;
    private int identifier = -1;
    private byte[] challenge;

    /**
     * @param random source of the mutual identifier and challenge; a {@code SecureRandom} in production
     */
    public ChapResponder(ChapCredentials credentials, RandomGenerator random) {
        this.credentials = credentials;
        this.random = random;
    }

    /** Whether the target must authenticate itself too. */
    public boolean mutual() {
        return credentials.isMutual();
    }

    /** The algorithm offer: {@code CHAP_A=5}, MD5 only (see {@link ChapAuthenticator} on the SHA numbers). */
    public List<KeyValue> offer() {
        return List.of(new KeyValue(TextKey.CHAP_A, ChapAuthenticator.MD5_ALGORITHM));
    }

    /**
     * Answers the target's CHAP_A, CHAP_I and CHAP_C with CHAP_N and CHAP_R, plus CHAP_I and
     * CHAP_C of our own when mutual.
     *
     * @throws LoginException 0x0201 when the target chose another algorithm or left out a key;
     *     0x0200 when a value is malformed
     */
    public List<KeyValue> respond(Map<String, String> keys) throws LoginException {
        String algorithm = keys.get(TextKey.CHAP_A);
        String id = keys.get(TextKey.CHAP_I);
        String targetChallenge = keys.get(TextKey.CHAP_C);
        if (!ChapAuthenticator.MD5_ALGORITHM.equals(algorithm) || id == null || targetChallenge == null) {
            throw new LoginException(LoginStatus.AUTHENTICATION_FAILURE,
                    "the target's CHAP challenge is incomplete or not MD5 (CHAP_A=" + algorithm + ")");
        }
        int targetId = ChapValues.number(TextKey.CHAP_I, id, 255);
        byte[] targetBytes = ChapValues.binary(TextKey.CHAP_C, targetChallenge);
        byte[] answer = ChapAuthenticator.response(targetId, credentials.secret(), targetBytes);
        List<KeyValue> out = new ArrayList<>(List.of(new KeyValue(TextKey.CHAP_N, credentials.user()),
                new KeyValue(TextKey.CHAP_R, ChapValues.hex(answer))));
        if (credentials.isMutual()) {
            identifier = random.nextInt(256);
            challenge = new byte[ChapAuthenticator.CHALLENGE_LENGTH];
            do {
                random.nextBytes(challenge);
            } while (Arrays.equals(challenge, targetBytes));
            out.add(new KeyValue(TextKey.CHAP_I, Integer.toString(identifier)));
            out.add(new KeyValue(TextKey.CHAP_C, ChapValues.hex(challenge)));
        }
        return out;
    }

    /**
     * Verifies the target's CHAP_N and CHAP_R against our challenge (mutual CHAP).
     *
     * @throws LoginException 0x0201 when the target's name or answer is wrong or missing, or the
     *     challenge was never sent; 0x0200 when CHAP_R is malformed
     */
    public void verify(Map<String, String> keys) throws LoginException {
        if (challenge == null) {
            throw new LoginException(LoginStatus.AUTHENTICATION_FAILURE, "no mutual CHAP challenge was sent");
        }
        String name = keys.get(TextKey.CHAP_N);
        String response = keys.get(TextKey.CHAP_R);
        if (name == null || response == null) {
            throw new LoginException(LoginStatus.AUTHENTICATION_FAILURE, "the target did not answer the mutual CHAP challenge");
        }
        byte[] responseBytes = ChapValues.binary(TextKey.CHAP_R, response);
        byte[] expected = ChapAuthenticator.response(identifier, credentials.targetSecret(), challenge);
        boolean nameMatches = MessageDigest.isEqual(name.getBytes(StandardCharsets.UTF_8),
                credentials.targetUser().orElseThrow().getBytes(StandardCharsets.UTF_8));
        boolean responseMatches = responseBytes.length == MD5_LENGTH && MessageDigest.isEqual(responseBytes, expected);
        challenge = null;
        if (!nameMatches || !responseMatches) {
            throw new LoginException(LoginStatus.AUTHENTICATION_FAILURE, "the target failed mutual CHAP authentication");
        }
    }
}
