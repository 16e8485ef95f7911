package dev.quarry.iscsi.scsi;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * READ(6), READ(10), READ(12), READ(16) (SBC-3 §5.8-5.11): the blocks as Data-In. A transfer
 * length of 0 reads nothing (READ(6): 0 means 256 blocks); the LBA is still checked.
 *
 * <p>Stateless; thread-safe.
 */
final class ReadHandler implements CommandHandler {

    @Override
    public CompletionStage<ScsiResult> execute(CommandContext context) {
        LogicalUnit unit = context.unit();
        ScsiOpcode opcode = ScsiOpcode.of(context.cdb()[0] & 0xFF);
        ReadWriteCdb cdb = ReadWriteCdb.parse(opcode, context.cdb());
        BlockCommands.checkRange(unit, cdb.lba(), cdb.blocks());
        BlockCommands.checkTransferLength(unit, cdb.blocks(), ReadWriteCdb.lengthField(opcode));
        if (cdb.blocks() == 0) {
            return CompletableFuture.completedFuture(ScsiResult.good());
        }
        return unit.volume().read(cdb.lba(), (int) cdb.blocks()).thenApply(ScsiResult::good);
    }
}
