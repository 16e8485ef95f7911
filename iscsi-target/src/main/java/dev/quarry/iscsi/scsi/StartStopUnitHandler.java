package dev.quarry.iscsi.scsi;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * START STOP UNIT (SBC-3 §5.20) for a non-removable virtual disk. POWER CONDITION must be one
 * SBC-3 defines; LOEJ is refused (there is no medium to load or eject). A stop (START 0) makes
 * cached writes durable unless NO_FLUSH, and then the unit keeps serving: a logical unit shared
 * by several hosts is never stopped by one of them, so it behaves like a disk that spins up
 * again on the next access. IMMED answers before the flush ends.
 *
 * <p>Stateless; thread-safe.
 */
final class StartStopUnitHandler implements CommandHandler {

    private static final Logger LOG = LoggerFactory.getLogger(StartStopUnitHandler.class);

    @Override
    public CompletionStage<ScsiResult> execute(CommandContext context) {
        byte[] cdb = context.cdb();
        Cdb.reserved(cdb, 1, 0xFE);
        Cdb.reserved(cdb, 2, 0xFF);
        Cdb.reserved(cdb, 3, 0xF0);
        Cdb.reserved(cdb, 4, 0x08);
        boolean immediate = (cdb[1] & 0x01) != 0;
        int powerCondition = (cdb[4] & 0xF0) >>> 4;
        boolean noFlush = (cdb[4] & 0x04) != 0;
        boolean loadEject = (cdb[4] & 0x02) != 0;
        boolean start = (cdb[4] & 0x01) != 0;
        switch (powerCondition) {
            case 0x0, 0x1, 0x2, 0x3, 0x5, 0x7, 0xA, 0xB -> { }
            default -> throw ScsiCommandException.invalidFieldInCdb(4, 7);
        }
        if (powerCondition == 0 && loadEject) {
            throw ScsiCommandException.invalidFieldInCdb(4, 1);
        }
        if (powerCondition != 0 || start || noFlush) {
            return CompletableFuture.completedFuture(ScsiResult.good());
        }
        LogicalUnit unit = context.unit();
        CompletableFuture<Void> flush = unit.volume().flush();
        if (immediate) {
            flush.whenComplete((v, failure) -> {
                if (failure != null) {
                    LOG.error("flush for START STOP UNIT with IMMED failed after it was answered: unit={}", unit, failure);
                }
            });
            return CompletableFuture.completedFuture(ScsiResult.good());
        }
        return flush.thenApply(v -> ScsiResult.good());
    }
}
