package dev.quarry.iscsi.login;

import dev.quarry.iscsi.pdu.LoginStatus;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * The security negotiation stage (RFC 7143 §6.3.1, §12.1): AuthMethod selection, then the CHAP
 * exchange. Never lets a login leave the stage unauthenticated when credentials are configured
 * (a transit request before CHAP_R arrived fails with 0x0201).
 *
 * <p>Not thread-safe; one instance per login, confined to the channel event loop.
 */
final class SecurityNegotiation {

    private enum State { START, AWAIT_ALGORITHM, AWAIT_RESPONSE, DONE }

    private final ChapCredentials credentials;
    private final RandomGenerator random;
    private State state = State.START;
    private ChapAuthenticator chap;

    /**
     * @param credentials what the initiator must prove, or {@code null} when authentication is
     *     not required
     */
    SecurityNegotiation(ChapCredentials credentials, RandomGenerator random) {
        this.credentials = credentials;
        this.random = random;
    }

    boolean complete() {
        return state == State.DONE;
    }

    /** The login starts in the operational stage: allowed only without required authentication. */
    void skip() throws LoginException {
        if (credentials != null) {
            throw new LoginException(LoginStatus.AUTHENTICATION_FAILURE, "authentication required, security stage skipped");
        }
        state = State.DONE;
    }

    /**
     * Processes the security keys of one security-stage Login Request and returns the answers.
     *
     * @param transit the request's T bit
     */
    List<KeyValue> process(Map<String, String> keys, boolean transit) throws LoginException {
        List<KeyValue> answers = new ArrayList<>();
        boolean challengedNow = false;
        String offered = keys.get(TextKey.AUTH_METHOD);
        if (offered != null) {
            if (state != State.START) {
                throw new LoginException(LoginStatus.INITIATOR_ERROR, "AuthMethod negotiated twice");
            }
            String chosen = chooseMethod(offered);
            answers.add(new KeyValue(TextKey.AUTH_METHOD, chosen));
            state = TextKey.CHAP.equals(chosen) ? State.AWAIT_ALGORITHM : State.DONE;
            challengedNow = state == State.AWAIT_ALGORITHM;
        }
        boolean chapKeys = keys.keySet().stream().anyMatch(k -> k.startsWith("CHAP_"));
        switch (state) {
            case START -> {
                if (chapKeys) {
                    throw new LoginException(LoginStatus.INITIATOR_ERROR, "CHAP keys before AuthMethod=CHAP");
                }
                if (transit) {
                    skip();
                }
            }
            case AWAIT_ALGORITHM -> {
                String algorithms = keys.get(TextKey.CHAP_A);
                if (algorithms != null) {
                    chap = new ChapAuthenticator(credentials, random);
                    answers.addAll(chap.challenge(algorithms));
                    state = State.AWAIT_RESPONSE;
                } else if (chapKeys || transit && !challengedNow) {
                    throw new LoginException(LoginStatus.AUTHENTICATION_FAILURE, "CHAP_A expected");
                }
            }
            case AWAIT_RESPONSE -> {
                if (keys.containsKey(TextKey.CHAP_A)) {
                    throw new LoginException(LoginStatus.INITIATOR_ERROR, "CHAP_A negotiated twice");
                }
                answers.addAll(chap.verify(keys));
                state = State.DONE;
            }
            case DONE -> {
                if (chapKeys) {
                    throw new LoginException(LoginStatus.INITIATOR_ERROR, "CHAP keys after authentication");
                }
            }
        }
        return answers;
    }

    /** CHAP when credentials are configured, None otherwise; the initiator's list must contain it. */
    private String chooseMethod(String offered) throws LoginException {
        String wanted = credentials != null ? TextKey.CHAP : TextKey.NONE;
        if (!Arrays.asList(offered.split(",", -1)).contains(wanted)) {
            throw new LoginException(LoginStatus.AUTHENTICATION_FAILURE, "AuthMethod " + wanted + " not offered in " + offered);
        }
        return wanted;
    }
}
