package dev.quarry.iscsi.scsi;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * TEST UNIT READY (SPC-4 §6.47): GOOD once the common checks passed (unit attentions, reservations,
 * sanitize in progress are reported by the dispatcher). Sanitize failure mode does not fail it:
 * the unit is ready for the SANITIZE that ends that mode (see {@link CommandDispatcher}).
 *
 * <p>Stateless; thread-safe.
 */
final class TestUnitReadyHandler implements CommandHandler {

    @Override
    public CompletionStage<ScsiResult> execute(CommandContext context) {
        Cdb.reservedBytes(context.cdb(), 1, 5);
        return CompletableFuture.completedFuture(ScsiResult.good());
    }
}
