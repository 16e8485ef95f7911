package dev.quarry.iscsi.session;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The current {@link ConnectionState} of one connection, moved only through
 * {@link ConnectionState#next}. Shared by the login handler and the full feature session of the
 * same connection.
 *
 * <p>Not thread-safe; confined to the channel event loop.
 */
public final class ConnectionStateMachine {

    private static final Logger LOG = LoggerFactory.getLogger(ConnectionStateMachine.class);

    private final String connection;
    private ConnectionState state = ConnectionState.FREE;

    /**
     * @param connection how to name the connection in the log (peer address)
     */
    public ConnectionStateMachine(String connection) {
        this.connection = connection;
    }

    public ConnectionState current() {
        return state;
    }

    /** Applies {@code event}; throws {@link IllegalStateException} when it is impossible now. */
    public ConnectionState on(ConnectionState.Event event) {
        ConnectionState next = state.next(event);
        if (next != state) {
            LOG.debug("{}: {} --{}--> {}", connection, state, event, next);
        }
        state = next;
        return next;
    }

    /** Applies {@code event} unless the connection is already FREE (closing from any state). */
    public void close(ConnectionState.Event event) {
        if (state != ConnectionState.FREE) {
            on(event);
        }
    }
}
