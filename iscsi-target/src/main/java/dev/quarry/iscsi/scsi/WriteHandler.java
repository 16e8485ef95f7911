package dev.quarry.iscsi.scsi;

import dev.quarry.block.AtomicWriteLimits;
import dev.quarry.block.BlockVolume;
import dev.quarry.block.WriteOptions;
import io.netty.buffer.ByteBuf;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * WRITE(6/10/12/16), WRITE AND VERIFY(10/12/16) and WRITE ATOMIC(16) (SBC-3 §5.27-5.31,
 * §5.36-5.38; SBC-4). Writes are FUA when the CDB says so or the write cache is disabled (WCE 0).
 *
 * <p>When less Data-Out came than the CDB asked for (EDTL below the SCSI transfer length),
 * exactly the bytes received are written and nothing beyond them (FCP-4 and RFC 7143 §11.4.5.1
 * overflow): whole blocks as they are, a trailing partial block merged into the block's current
 * contents atomically. The transport reports the residual. WRITE ATOMIC needs all of its data.
 *
 * <p>WRITE AND VERIFY writes with FUA, reads the blocks back (a medium check) and, with BYTCHK
 * 01b, compares them with the data written.
 *
 * <p>Stateless; thread-safe.
 */
final class WriteHandler implements CommandHandler {

    @Override
    public CompletionStage<ScsiResult> execute(CommandContext context) {
        ScsiOpcode opcode = ScsiOpcode.of(context.cdb()[0] & 0xFF);
        return switch (opcode) {
            case WRITE_AND_VERIFY_10, WRITE_AND_VERIFY_12, WRITE_AND_VERIFY_16 -> writeAndVerify(context, opcode);
            case WRITE_ATOMIC_16 -> writeAtomic(context, opcode);
            default -> write(context, opcode);
        };
    }

    private static CompletionStage<ScsiResult> write(CommandContext context, ScsiOpcode opcode) {
        LogicalUnit unit = context.unit();
        ReadWriteCdb cdb = ReadWriteCdb.parse(opcode, context.cdb());
        prepare(context, opcode, cdb.lba(), cdb.blocks());
        int received = received(context, cdb.blocks());
        if (received == 0) {
            return CompletableFuture.completedFuture(ScsiResult.good());
        }
        return store(context, cdb.lba(), received, unit.writeOptions(cdb.fua(), false))
                .thenApply(v -> ScsiResult.good());
    }

    private static CompletionStage<ScsiResult> writeAtomic(CommandContext context, ScsiOpcode opcode) {
        LogicalUnit unit = context.unit();
        ReadWriteCdb cdb = ReadWriteCdb.parse(opcode, context.cdb());
        prepare(context, opcode, cdb.lba(), cdb.blocks());
        AtomicWriteLimits limits = unit.limits().atomic();
        if (cdb.blocks() > limits.maxBlocks() || cdb.blocks() % Math.max(1, limits.granularity()) != 0) {
            throw ScsiCommandException.invalidFieldInCdb(12, 7);
        }
        if (Long.remainderUnsigned(cdb.lba(), Math.max(1, limits.alignment())) != 0) {
            throw ScsiCommandException.invalidFieldInCdb(2, 7);
        }
        if (cdb.blocks() == 0) {
            return CompletableFuture.completedFuture(ScsiResult.good());
        }
        long bytes = cdb.blocks() * unit.limits().blockSize();
        if (context.dataOutBytes() < bytes) {
            throw ScsiCommandException.invalidFieldInCdb(12, 7);
        }
        ByteBuf data = context.dataOut().retainedSlice(context.dataOut().readerIndex(), (int) bytes);
        return unit.volume().write(cdb.lba(), data, unit.writeOptions(cdb.fua(), true)).thenApply(v -> ScsiResult.good());
    }

    private static CompletionStage<ScsiResult> writeAndVerify(CommandContext context, ScsiOpcode opcode) {
        LogicalUnit unit = context.unit();
        VerifyCdb cdb = VerifyCdb.parse(opcode, context.cdb());
        prepare(context, opcode, cdb.lba(), cdb.blocks());
        int received = received(context, cdb.blocks());
        if (received == 0) {
            return CompletableFuture.completedFuture(ScsiResult.good());
        }
        int blockSize = unit.limits().blockSize();
        int blocks = (received + blockSize - 1) / blockSize;
        return store(context, cdb.lba(), received, WriteOptions.FUA)
                .thenCompose(v -> {
                    context.checkNotAborted();
                    return unit.volume().read(cdb.lba(), blocks);
                })
                .thenApply(readBack -> {
                    try {
                        ByteBuf data = context.dataOut();
                        int at = BlockCommands.firstDifference(readBack, readBack.readerIndex(), data, data.readerIndex(), received);
                        if (cdb.bytchk() == VerifyCdb.COMPARE && at >= 0) {
                            throw BlockCommands.miscompare(at);
                        }
                        return ScsiResult.good();
                    } finally {
                        readBack.release();
                    }
                });
    }

    /** Checks shared by every write: expected Data-Out, range, transfer length, write protection. */
    private static void prepare(CommandContext context, ScsiOpcode opcode, long lba, long blocks) {
        LogicalUnit unit = context.unit();
        context.expectDataOut(blocks * unit.limits().blockSize());
        BlockCommands.checkRange(unit, lba, blocks);
        BlockCommands.checkTransferLength(unit, blocks, ReadWriteCdb.lengthField(opcode));
        unit.checkWritable();
    }

    /** How many of the bytes the CDB asked for came. */
    private static int received(CommandContext context, long blocks) {
        return (int) Math.min(context.dataOutBytes(), blocks * context.unit().limits().blockSize());
    }

    /** Writes the first {@code received} Data-Out bytes at {@code lba}; a partial last block is merged. */
    static CompletionStage<Void> store(CommandContext context, long lba, int received, WriteOptions options) {
        BlockVolume volume = context.unit().volume();
        int blockSize = context.unit().limits().blockSize();
        ByteBuf data = context.dataOut();
        int offset = data.readerIndex();
        if (received % blockSize == 0) {
            return volume.write(lba, data.retainedSlice(offset, received), options);
        }
        int blocks = received / blockSize + 1;
        return volume.modify(lba, blocks, current -> {
            ByteBuf merged = current.alloc().buffer(blocks * blockSize);
            merged.writeBytes(data, offset, received);
            merged.writeBytes(current, current.readerIndex() + received, blocks * blockSize - received);
            return merged;
        }, options);
    }
}
