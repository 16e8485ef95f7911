package dev.quarry.iscsi.scsi;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * READ DEFECT DATA(10) and (12) (SBC-3 §5.17-5.18): a virtual disk has no defects, so both lists
 * are valid and empty, in the format requested.
 *
 * <p>Stateless; thread-safe.
 */
final class ReadDefectDataHandler implements CommandHandler {

    @Override
    public CompletionStage<ScsiResult> execute(CommandContext context) {
        byte[] cdb = context.cdb();
        boolean twelve = cdb[0] == (byte) 0xB7;
        int flags;
        long allocation;
        if (twelve) {
            Cdb.reserved(cdb, 1, 0xE0);
            Cdb.reserved(cdb, 10, 0xFF);
            flags = cdb[1] & 0x1F;
            allocation = Cdb.u32(cdb, 6);
        } else {
            Cdb.reserved(cdb, 1, 0xFF);
            Cdb.reserved(cdb, 2, 0xE0);
            Cdb.reservedBytes(cdb, 3, 7);
            flags = cdb[2] & 0x1F;
            allocation = Cdb.u16(cdb, 7);
        }
        byte[] data = new byte[twelve ? 8 : 4];
        data[1] = (byte) flags;
        return CompletableFuture.completedFuture(CommandContext.goodData(data, allocation));
    }
}
