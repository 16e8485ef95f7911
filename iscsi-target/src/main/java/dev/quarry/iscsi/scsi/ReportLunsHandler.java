package dev.quarry.iscsi.scsi;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * REPORT LUNS (SPC-4 §6.33), answered at any LUN: the LUNs mapped in the target the command came
 * through, in SAM-5 encoding. SELECT REPORT 00h and 02h list them all, 01h (well-known LUNs only)
 * lists none. Reaching a nexus clears its REPORTED LUNS DATA HAS CHANGED unit attentions.
 *
 * <p>Stateless; thread-safe.
 */
final class ReportLunsHandler implements CommandHandler {

    @Override
    public CompletionStage<ScsiResult> execute(CommandContext context) {
        TargetView target = context.binding().target();
        ScsiResult result = report(context.cdb(), target.mappedLuns());
        target.reportedLunsDelivered(context.nexus());
        return CompletableFuture.completedFuture(result);
    }

    /** The REPORT LUNS answer for {@code cdb} when {@code luns} are mapped. */
    static ScsiResult report(byte[] cdb, List<Integer> luns) {
        Cdb.reserved(cdb, 1, 0xFF);
        Cdb.reservedBytes(cdb, 3, 6);
        Cdb.reserved(cdb, 10, 0xFF);
        int select = Cdb.u8(cdb, 2);
        if (select > 0x02) {
            throw ScsiCommandException.invalidFieldInCdb(2, 7);
        }
        List<Integer> listed = select == 0x01 ? List.of() : luns;
        byte[] data = new byte[8 + 8 * listed.size()];
        Bytes.putInt(data, 0, 8 * listed.size());
        for (int i = 0; i < listed.size(); i++) {
            Bytes.putLong(data, 8 + 8 * i, Lun.encode(listed.get(i)));
        }
        return CommandContext.goodData(data, Cdb.u32(cdb, 6));
    }
}
