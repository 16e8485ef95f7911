package dev.quarry.iscsi.scsi;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * REPORT SUPPORTED TASK MANAGEMENT FUNCTIONS (SPC-4 §6.37): ABORT TASK, ABORT TASK SET, CLEAR TASK
 * SET, LOGICAL UNIT RESET and target reset; not CLEAR ACA, QUERY TASK or I_T NEXUS RESET. REPD
 * selects the 16-byte extended format.
 *
 * <p>Stateless; thread-safe.
 */
final class ReportSupportedTmfHandler implements CommandHandler {

    @Override
    public CompletionStage<ScsiResult> execute(CommandContext context) {
        byte[] cdb = context.cdb();
        Cdb.reserved(cdb, 1, 0xE0);
        Cdb.reserved(cdb, 2, 0x7F);
        Cdb.reservedBytes(cdb, 3, 6);
        Cdb.reserved(cdb, 10, 0xFF);
        long allocation = Cdb.u32(cdb, 6);
        if (allocation < 4) {
            throw ScsiCommandException.invalidFieldInCdb(6, 7);
        }
        boolean extended = (cdb[2] & 0x80) != 0;
        byte[] data = new byte[extended ? 16 : 4];
        data[0] = (byte) 0xDA;
        if (extended) {
            data[3] = 0x0C;
        }
        return CompletableFuture.completedFuture(CommandContext.goodData(data, allocation));
    }
}
