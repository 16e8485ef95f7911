package dev.quarry.iscsi.login;

import dev.quarry.iscsi.pdu.LoginStatus;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Operational text negotiation (RFC 7143 §6.2 - §6.4, §13) as a pure function: no Netty, no I/O,
 * no state beyond its arguments, so that tables of cases test it.
 *
 * <p>Per offered key: not understood → {@code NotUnderstood}; offered twice in one login (or one
 * text exchange) → login fails with 0x0200 (or {@code Reject} in full feature phase); a login-only
 * key in full feature phase → {@code Reject}; a key Discovery sessions ignore → {@code
 * Irrelevant}; otherwise the key's own rule in {@link OperationalKey}.
 *
 * <p>Stateless and thread-safe.
 */
public final class OperationalNegotiator {

    /** Where the negotiation happens. */
    public enum Phase { LOGIN, FULL_FEATURE }

    private OperationalNegotiator() {
    }

    /**
     * Answers {@code offered} (in the initiator's order) given the parameters and negotiated keys
     * so far.
     */
    public static NegotiationResult negotiate(Phase phase, SessionType sessionType, Map<String, String> offered,
                                              OperationalParameters current, Set<String> alreadyNegotiated,
                                              NegotiationPolicy policy) {
        OperationalParameters.Builder builder = current.toBuilder();
        Set<String> negotiated = new HashSet<>(alreadyNegotiated);
        List<KeyValue> answers = new ArrayList<>();
        for (Map.Entry<String, String> offer : offered.entrySet()) {
            String name = offer.getKey();
            OperationalKey key = OperationalKey.of(name);
            if (key == null) {
                answers.add(new KeyValue(name, TextKey.NOT_UNDERSTOOD));
                continue;
            }
            if (!negotiated.add(name)) {
                if (phase == Phase.LOGIN) {
                    return failed(answers, current, negotiated, "key " + name + " negotiated twice");
                }
                answers.add(new KeyValue(name, TextKey.REJECT));
                continue;
            }
            String answer;
            try {
                answer = answer(phase, sessionType, key, offer.getValue(), builder, policy);
            } catch (LoginException e) {
                if (phase == Phase.LOGIN) {
                    return new NegotiationResult(answers, current, negotiated, e);
                }
                answer = TextKey.REJECT;
            }
            if (answer != null) {
                answers.add(new KeyValue(name, answer));
            }
        }
        return new NegotiationResult(answers, builder.build(), negotiated, null);
    }

    private static String answer(Phase phase, SessionType sessionType, OperationalKey key, String value,
                                 OperationalParameters.Builder builder, NegotiationPolicy policy) throws LoginException {
        boolean allowedHere = switch (key.use()) {
            case LOGIN_ONLY -> phase == Phase.LOGIN;
            case ANY -> true;
            case FULL_FEATURE_ONLY, TARGET_ONLY -> false;
        };
        if (!allowedHere) {
            return TextKey.REJECT;
        }
        if (sessionType == SessionType.DISCOVERY && key.irrelevantInDiscovery()) {
            return TextKey.IRRELEVANT;
        }
        return key.answer(value, builder, policy);
    }

    private static NegotiationResult failed(List<KeyValue> answers, OperationalParameters current, Set<String> negotiated,
                                            String detail) {
        return new NegotiationResult(answers, current, negotiated, new LoginException(LoginStatus.INITIATOR_ERROR, detail));
    }
}
