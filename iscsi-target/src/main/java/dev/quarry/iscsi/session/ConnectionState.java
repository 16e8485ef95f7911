package dev.quarry.iscsi.session;

/**
 * Target connection states of RFC 7143 §8.1.3 (S1, S3 - S8). CLEANUP_WAIT belongs to error
 * recovery levels above 0 and is never entered here. Each transition is one arm of
 * {@link #next}, labelled with the RFC's transition id.
 *
 * <p>Immutable and thread-safe.
 */
public enum ConnectionState {
    FREE, XPT_UP, IN_LOGIN, LOGGED_IN, IN_LOGOUT, LOGOUT_REQUESTED, CLEANUP_WAIT;

    /** What moves a connection between states. */
    public enum Event {
        TRANSPORT_UP, LOGIN_REQUEST, LOGIN_COMPLETE, LOGIN_FAILED, LOGIN_TIMEOUT, LOGOUT_REQUEST,
        ASYNC_LOGOUT_SENT, LOGOUT_RESPONSE_SENT, TRANSPORT_CLOSED
    }

    /**
     * The state after {@code event}.
     *
     * @throws IllegalStateException when the event is not possible in this state
     */
    public ConnectionState next(Event event) {
        return switch (this) {
            case FREE -> event == Event.TRANSPORT_UP ? XPT_UP : fail(event);                             // T3
            case XPT_UP -> switch (event) {
                case LOGIN_REQUEST -> IN_LOGIN;                                                         // T4
                case LOGIN_TIMEOUT, TRANSPORT_CLOSED, LOGIN_FAILED -> FREE;                             // T6
                default -> fail(event);
            };
            case IN_LOGIN -> switch (event) {
                case LOGIN_REQUEST -> IN_LOGIN;
                case LOGIN_COMPLETE -> LOGGED_IN;                                                       // T5
                case LOGIN_FAILED, LOGIN_TIMEOUT, TRANSPORT_CLOSED -> FREE;                             // T7
                default -> fail(event);
            };
            case LOGGED_IN -> switch (event) {
                case LOGOUT_REQUEST -> IN_LOGOUT;                                                       // T9
                case ASYNC_LOGOUT_SENT -> LOGOUT_REQUESTED;                                             // T10
                case TRANSPORT_CLOSED -> FREE;                                                          // T8
                default -> fail(event);
            };
            case LOGOUT_REQUESTED -> switch (event) {
                case LOGOUT_REQUEST -> IN_LOGOUT;                                                       // T11
                case ASYNC_LOGOUT_SENT -> LOGOUT_REQUESTED;                                             // T12
                case TRANSPORT_CLOSED -> FREE;                                                          // T8
                default -> fail(event);
            };
            case IN_LOGOUT -> switch (event) {
                case LOGOUT_RESPONSE_SENT, TRANSPORT_CLOSED -> FREE;                                    // T13, T8
                default -> fail(event);
            };
            case CLEANUP_WAIT -> fail(event);
        };
    }

    /** Whether the connection carries full feature phase traffic. */
    public boolean fullFeature() {
        return this == LOGGED_IN || this == LOGOUT_REQUESTED;
    }

    private ConnectionState fail(Event event) {
        throw new IllegalStateException("no transition from " + this + " on " + event);
    }
}
