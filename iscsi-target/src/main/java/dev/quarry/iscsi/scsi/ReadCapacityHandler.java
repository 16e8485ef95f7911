package dev.quarry.iscsi.scsi;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * READ CAPACITY(10) and READ CAPACITY(16) (SBC-3 §5.15-5.16): the last LBA and the block length;
 * (16) adds the logical blocks per physical block exponent and, on thin volumes, LBPME and LBPRZ.
 * READ CAPACITY(10) reports FFFFFFFFh when the last LBA does not fit 32 bits.
 *
 * <pre>
 * (16): 0..7 RETURNED LBA  8..11 BLOCK LENGTH  12 P_TYPE|PROT_EN (0)  13 LBPPBE
 *       14..15 LBPME | LBPRZ | LOWEST ALIGNED LBA (0)   (32 bytes)
 * </pre>
 *
 * <p>Stateless; thread-safe.
 */
final class ReadCapacityHandler implements CommandHandler {

    @Override
    public CompletionStage<ScsiResult> execute(CommandContext context) {
        byte[] cdb = context.cdb();
        LogicalUnit unit = context.unit();
        long lastLba = unit.volume().blockCount() - 1;
        int blockSize = unit.limits().blockSize();
        if (cdb[0] == 0x25) {
            Cdb.reserved(cdb, 1, 0xFF);
            Cdb.reservedBytes(cdb, 6, 8);
            Cdb.reserved(cdb, 8, 0xFE);
            if ((cdb[8] & 0x01) == 0 && Cdb.u32(cdb, 2) != 0) {
                throw ScsiCommandException.invalidFieldInCdb(2, 7);
            }
            byte[] data = new byte[8];
            Bytes.putInt(data, 0, (int) Math.min(lastLba, 0xFFFF_FFFFL));
            Bytes.putInt(data, 4, blockSize);
            return CompletableFuture.completedFuture(CommandContext.goodData(data, 8));
        }
        Cdb.reserved(cdb, 1, 0xE0);
        Cdb.reserved(cdb, 14, 0xFE);
        byte[] data = new byte[32];
        Bytes.putLong(data, 0, lastLba);
        Bytes.putInt(data, 8, blockSize);
        data[13] = (byte) unit.volume().physicalBlockExponent();
        if (unit.thin()) {
            data[14] = (byte) (0x80 | (unit.volume().provisioning().unmappedReadsZero() ? 0x40 : 0));
        }
        return CompletableFuture.completedFuture(CommandContext.goodData(data, Cdb.u32(cdb, 10)));
    }
}
