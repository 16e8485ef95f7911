package dev.quarry.iscsi.login;

import java.util.List;
import java.util.Set;

/**
 * The outcome of one round of operational negotiation: the answers to send, the parameters after
 * it, the keys negotiated so far, and the failure that ends a login, if any.
 *
 * <p>Immutable and thread-safe.
 *
 * @param failure {@code null} unless the login must fail
 */
public record NegotiationResult(List<KeyValue> answers, OperationalParameters parameters, Set<String> negotiated,
                                LoginException failure) {

    public NegotiationResult {
        answers = List.copyOf(answers);
        negotiated = Set.copyOf(negotiated);
    }
}
