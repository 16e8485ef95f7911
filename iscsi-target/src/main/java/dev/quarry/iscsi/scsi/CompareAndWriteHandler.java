package dev.quarry.iscsi.scsi;

import dev.quarry.block.BlockIoException;
import io.netty.buffer.ByteBuf;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * COMPARE AND WRITE (SBC-3 §5.2), the VMware ATS primitive: the Data-Out holds NUMBER OF LOGICAL
 * BLOCKS blocks of verify data followed by as many blocks of write data. Through
 * {@code BlockVolume.modify} the compare and the write are one atomic step against every other
 * write, whichever nexus sent it; on a difference nothing is written and the command ends in
 * MISCOMPARE with the offset of the first differing byte in INFORMATION.
 *
 * <p>Stateless; thread-safe.
 */
final class CompareAndWriteHandler implements CommandHandler {

    @Override
    public CompletionStage<ScsiResult> execute(CommandContext context) {
        LogicalUnit unit = context.unit();
        byte[] raw = context.cdb();
        Cdb.noProtection(raw);
        Cdb.reserved(raw, 1, 0x05);
        Cdb.reservedBytes(raw, 10, 13);
        Cdb.reserved(raw, 14, 0xE0);
        long lba = Cdb.u64(raw, 2);
        int blocks = Cdb.u8(raw, 13);
        boolean fua = (raw[1] & 0x08) != 0;
        int blockSize = unit.limits().blockSize();
        int length = blocks * blockSize;
        context.expectDataOut(2L * length);
        BlockCommands.checkRange(unit, lba, blocks);
        if (blocks > unit.limits().maxCompareAndWriteBlocks()) {
            throw ScsiCommandException.invalidFieldInCdb(13, 7);
        }
        unit.checkWritable();
        if (context.dataOutBytes() != 2 * length) {
            throw ScsiCommandException.invalidFieldInCdb(13, 7);
        }
        if (blocks == 0) {
            return CompletableFuture.completedFuture(ScsiResult.good());
        }
        ByteBuf data = context.dataOut();
        int verify = data.readerIndex();
        return unit.volume().modify(lba, blocks, current -> {
            int at = BlockCommands.firstDifference(current, current.readerIndex(), data, verify, length);
            if (at >= 0) {
                throw BlockIoException.miscompare(at);
            }
            return data.retainedSlice(verify + length, length);
        }, unit.writeOptions(fua, false)).thenApply(v -> ScsiResult.good());
    }
}
