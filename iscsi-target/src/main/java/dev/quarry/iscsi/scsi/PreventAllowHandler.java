package dev.quarry.iscsi.scsi;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * PREVENT ALLOW MEDIUM REMOVAL (SBC-3 §5.13) for a non-removable virtual disk: PREVENT 00b and
 * 01b are accepted (there is no medium that could be removed, so nothing changes); the obsolete
 * medium-changer values 10b and 11b are refused.
 *
 * <p>Stateless; thread-safe.
 */
final class PreventAllowHandler implements CommandHandler {

    @Override
    public CompletionStage<ScsiResult> execute(CommandContext context) {
        byte[] cdb = context.cdb();
        Cdb.reservedBytes(cdb, 1, 4);
        Cdb.reserved(cdb, 4, 0xFE);
        return CompletableFuture.completedFuture(ScsiResult.good());
    }
}
