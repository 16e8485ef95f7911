package dev.quarry.iscsi.session;

import java.time.Duration;
import java.util.concurrent.CompletionStage;

/**
 * A live session as the registry sees it, from any thread: ending it for reinstatement or
 * shutdown, or asking its initiator to log out.
 *
 * <p>Implementations are thread-safe and hop to their connection's event loop.
 */
public interface SessionHandle {

    /**
     * Closes the connection and ends the nexus (aborting its tasks); completes once that is done.
     */
    CompletionStage<Void> terminate();

    /** Sends an asynchronous logout request and drops the connection after {@code grace}. */
    void requestLogout(Duration grace);

    /** The initiator's end of the connection, "host:port". */
    String initiatorAddress();

    /** The portal the initiator connected to, "host:port". */
    String portalAddress();
}
