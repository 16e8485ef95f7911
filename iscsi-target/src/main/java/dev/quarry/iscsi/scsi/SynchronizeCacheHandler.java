package dev.quarry.iscsi.scsi;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SYNCHRONIZE CACHE(10) and (16) (SBC-3 §5.22-5.23): every write completed before the command
 * becomes durable ({@code BlockVolume.flush()}), whatever range it names (the range is checked).
 * NUMBER OF LOGICAL BLOCKS 0 means up to the last block. With IMMED the command is answered once
 * validated and the flush goes on; a flush failure then can only be logged.
 *
 * <p>Stateless; thread-safe.
 */
final class SynchronizeCacheHandler implements CommandHandler {

    private static final Logger LOG = LoggerFactory.getLogger(SynchronizeCacheHandler.class);

    @Override
    public CompletionStage<ScsiResult> execute(CommandContext context) {
        LogicalUnit unit = context.unit();
        RangeCdb cdb = RangeCdb.parse(context.cdb());
        checkRange(unit, cdb);
        CompletableFuture<Void> flush = unit.volume().flush();
        if (cdb.immediate()) {
            flush.whenComplete((v, failure) -> {
                if (failure != null) {
                    LOG.error("SYNCHRONIZE CACHE with IMMED failed after it was answered: unit={} initiator={}",
                            unit, context.nexus().initiatorPortName(), failure);
                }
            });
            return CompletableFuture.completedFuture(ScsiResult.good());
        }
        return flush.thenApply(v -> ScsiResult.good());
    }

    /** A range whose NUMBER OF BLOCKS is 0 runs to the last block; its LBA must still lie within the unit. */
    static void checkRange(LogicalUnit unit, RangeCdb cdb) {
        long capacity = unit.volume().blockCount();
        if (cdb.blocks() == 0) {
            if (Long.compareUnsigned(cdb.lba(), capacity) > 0) {
                throw ScsiCommandException.lbaOutOfRange(cdb.lba());
            }
            return;
        }
        BlockCommands.checkRange(unit, cdb.lba(), cdb.blocks());
    }
}
