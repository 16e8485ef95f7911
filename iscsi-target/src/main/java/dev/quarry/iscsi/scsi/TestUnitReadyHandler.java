package dev.quarry.iscsi.scsi;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * TEST UNIT READY (SPC-4 §6.47): GOOD once the common checks passed (unit attentions, reservations,
 * sanitize in progress are reported by the dispatcher).
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
