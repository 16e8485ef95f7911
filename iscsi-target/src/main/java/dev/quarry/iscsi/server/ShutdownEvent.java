package dev.quarry.iscsi.server;

import java.time.Duration;

/**
 * Fired into every connection's pipeline when the server shuts down gracefully: sessions are
 * asked to log out within {@code grace}; connections still logging in close at once.
 *
 * <p>Immutable and thread-safe.
 */
record ShutdownEvent(Duration grace) {
}
