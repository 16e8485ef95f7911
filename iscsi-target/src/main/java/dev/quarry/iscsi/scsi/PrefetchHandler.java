package dev.quarry.iscsi.scsi;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * PRE-FETCH(10) and (16) (SBC-3 §5.14-5.15). The range is checked; nothing is transferred
 * because this unit has no cache that a host could fill: SBC-3 answers GOOD (not CONDITION MET)
 * when the blocks will not be held in a cache, with or without IMMED.
 *
 * <p>Stateless; thread-safe.
 */
final class PrefetchHandler implements CommandHandler {

    @Override
    public CompletionStage<ScsiResult> execute(CommandContext context) {
        LogicalUnit unit = context.unit();
        RangeCdb cdb = RangeCdb.parse(context.cdb());
        SynchronizeCacheHandler.checkRange(unit, cdb);
        return CompletableFuture.completedFuture(ScsiResult.good());
    }
}
