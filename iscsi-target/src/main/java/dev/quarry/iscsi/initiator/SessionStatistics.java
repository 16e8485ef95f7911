package dev.quarry.iscsi.initiator;

/**
 * Counters of one remote LUN's session, for metrics and tests.
 *
 * <p>Immutable and thread-safe.
 *
 * @param state the session state: CONNECTING, VERIFYING, READY, DRAINING, RECOVERING, FAILED or CLOSED
 * @param logins successful logins (the first one and every reinstatement)
 * @param connectionLosses connections lost without a logout we agreed to
 * @param commandsReissued commands sent again after a connection recovery
 * @param timeouts connections given up because a command or a ping went unanswered
 * @param logoutRequests logouts the target asked for (AsyncEvent 1)
 */
public record SessionStatistics(String state, long logins, long connectionLosses, long commandsReissued, long timeouts,
                                long logoutRequests) {
}
