package dev.quarry.iscsi.scsi;

import io.netty.buffer.ByteBuf;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * ORWRITE(16) (SBC-3 §5.13): each block becomes its current contents OR the Data-Out, read and
 * written atomically against every other write through {@code BlockVolume.modify}. Only the
 * change-generation-free form is served: the BMOP field must be 000b.
 *
 * <p>Stateless; thread-safe.
 */
final class OrWriteHandler implements CommandHandler {

    @Override
    public CompletionStage<ScsiResult> execute(CommandContext context) {
        LogicalUnit unit = context.unit();
        ReadWriteCdb cdb = ReadWriteCdb.parse(ScsiOpcode.ORWRITE_16, context.cdb());
        int blockSize = unit.limits().blockSize();
        context.expectDataOut(cdb.blocks() * blockSize);
        BlockCommands.checkRange(unit, cdb.lba(), cdb.blocks());
        BlockCommands.checkTransferLength(unit, cdb.blocks(), 10);
        unit.checkWritable();
        int received = (int) Math.min(context.dataOutBytes(), cdb.blocks() * blockSize);
        if (received == 0) {
            return CompletableFuture.completedFuture(ScsiResult.good());
        }
        int blocks = (received + blockSize - 1) / blockSize;
        ByteBuf data = context.dataOut();
        int offset = data.readerIndex();
        return unit.volume().modify(cdb.lba(), blocks, current -> {
            ByteBuf result = current.alloc().buffer(blocks * blockSize);
            int from = current.readerIndex();
            int i = 0;
            for (; i + Long.BYTES <= received; i += Long.BYTES) {
                result.writeLong(current.getLong(from + i) | data.getLong(offset + i));
            }
            for (; i < received; i++) {
                result.writeByte(current.getByte(from + i) | data.getByte(offset + i));
            }
            result.writeBytes(current, from + received, blocks * blockSize - received);
            return result;
        }, unit.writeOptions(cdb.fua(), false)).thenApply(v -> ScsiResult.good());
    }
}
