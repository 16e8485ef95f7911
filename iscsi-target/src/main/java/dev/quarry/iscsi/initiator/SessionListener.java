package dev.quarry.iscsi.initiator;

import dev.quarry.iscsi.scsi.SenseData;
import java.util.concurrent.CompletableFuture;

/**
 * What a {@link Session} asks of the LUN it carries. Both methods are called on the session's
 * event loop and must not block.
 *
 * <p>Implementations are confined to that event loop.
 */
interface SessionListener {

    /**
     * The session logged in again after losing its connection. Until the returned future
     * completes only control commands are sent, so that the LUN can be checked to be the same
     * one; a failed future ends the session for good.
     */
    CompletableFuture<Void> reconnected();

    /** A SCSI asynchronous event arrived (AsyncEvent 0), e.g. CAPACITY DATA HAS CHANGED. */
    void asyncEvent(SenseData sense);
}
