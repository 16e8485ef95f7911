package dev.quarry.iscsi.scsi;

import java.util.concurrent.CompletionStage;

/**
 * Where a logical unit keeps the state that must survive a restart ({@link LogicalUnitState}).
 * The appliance supplies one store per logical unit; {@link FileLogicalUnitStateStore} keeps it
 * in a file.
 *
 * <p>Implementations are thread-safe.
 */
public interface LogicalUnitStateStore {

    /**
     * Reads the saved state, {@link LogicalUnitState#EMPTY} when nothing was saved. Blocking:
     * called once while the logical unit is built, never on an event loop. Fails (unchecked) when
     * the saved state exists but cannot be read, rather than silently dropping reservations.
     */
    LogicalUnitState load();

    /**
     * Makes {@code state} durable, replacing what was saved. Never blocks the caller; the stage
     * completes once the state is durable. Successive saves are applied in call order.
     */
    CompletionStage<Void> save(LogicalUnitState state);
}
