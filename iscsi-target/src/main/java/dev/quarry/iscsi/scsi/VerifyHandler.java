package dev.quarry.iscsi.scsi;

import io.netty.buffer.ByteBuf;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * VERIFY(10/12/16) (SBC-3 §5.33-5.35): reads the blocks (a medium check) and, with BYTCHK 01b,
 * compares them with the Data-Out, or with BYTCHK 11b compares every block with the one block of
 * Data-Out. A difference ends in MISCOMPARE / MISCOMPARE DURING VERIFY OPERATION with the offset
 * of the first differing byte in INFORMATION.
 *
 * <p>Stateless; thread-safe.
 */
final class VerifyHandler implements CommandHandler {

    @Override
    public CompletionStage<ScsiResult> execute(CommandContext context) {
        LogicalUnit unit = context.unit();
        ScsiOpcode opcode = ScsiOpcode.of(context.cdb()[0] & 0xFF);
        VerifyCdb cdb = VerifyCdb.parse(opcode, context.cdb());
        int blockSize = unit.limits().blockSize();
        long expected = switch (cdb.bytchk()) {
            case VerifyCdb.COMPARE -> cdb.blocks() * blockSize;
            case VerifyCdb.COMPARE_ONE_BLOCK -> blockSize;
            default -> 0;
        };
        context.expectDataOut(cdb.blocks() == 0 ? 0 : expected);
        BlockCommands.checkRange(unit, cdb.lba(), cdb.blocks());
        BlockCommands.checkTransferLength(unit, cdb.blocks(), ReadWriteCdb.lengthField(opcode));
        if (cdb.blocks() == 0) {
            return CompletableFuture.completedFuture(ScsiResult.good());
        }
        if (context.dataOutBytes() < expected) {
            throw ScsiCommandException.invalidFieldInCdb(ReadWriteCdb.lengthField(opcode), 7);
        }
        return unit.volume().read(cdb.lba(), (int) cdb.blocks()).thenApply(medium -> {
            try {
                compare(context, cdb, medium, blockSize);
                return ScsiResult.good();
            } finally {
                medium.release();
            }
        });
    }

    private static void compare(CommandContext context, VerifyCdb cdb, ByteBuf medium, int blockSize) {
        ByteBuf data = context.dataOut();
        if (cdb.bytchk() == VerifyCdb.COMPARE) {
            int at = BlockCommands.firstDifference(medium, medium.readerIndex(), data, data.readerIndex(),
                    medium.readableBytes());
            if (at >= 0) {
                throw BlockCommands.miscompare(at);
            }
        } else if (cdb.bytchk() == VerifyCdb.COMPARE_ONE_BLOCK) {
            for (int block = 0; block < cdb.blocks(); block++) {
                int at = BlockCommands.firstDifference(medium, medium.readerIndex() + block * blockSize, data,
                        data.readerIndex(), blockSize);
                if (at >= 0) {
                    throw BlockCommands.miscompare((long) block * blockSize + at);
                }
            }
        }
    }
}
