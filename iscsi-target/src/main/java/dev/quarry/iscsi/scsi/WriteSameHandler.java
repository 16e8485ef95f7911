package dev.quarry.iscsi.scsi;

import dev.quarry.block.BlockVolume;
import dev.quarry.block.WriteOptions;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * WRITE SAME(10) and WRITE SAME(16) (SBC-3 §5.41-5.42): one block of Data-Out (or zeroes with
 * NDOB) written to every block of the range; with UNMAP on a thin volume the blocks are
 * deallocated instead whatever the Data-Out block holds (SBC-4 table "ANCHOR bit, UNMAP bit":
 * UNMAP 1, ANCHOR 0 deallocates), and read back as LBPRZ says. NUMBER OF LOGICAL BLOCKS 0 means up to
 * the last block (WSNZ is 0), within the MAXIMUM WRITE SAME LENGTH of the Block Limits page.
 * ANCHOR is not supported (ANC_SUP 0). Large ranges go to the volume in pieces so that an abort
 * takes effect between them.
 *
 * <p>Stateless; thread-safe.
 */
final class WriteSameHandler implements CommandHandler {

    /** Blocks handed to the volume per call. */
    static final long PIECE_BLOCKS = 1L << 16;

    /** A decoded WRITE SAME CDB. */
    record WriteSameCdb(long lba, long blocks, boolean unmap, boolean noDataOut) {
    }

    @Override
    public CompletionStage<ScsiResult> execute(CommandContext context) {
        LogicalUnit unit = context.unit();
        WriteSameCdb cdb = parse(context.cdb());
        int blockSize = unit.limits().blockSize();
        context.expectDataOut(cdb.noDataOut() ? 0 : blockSize);
        long capacity = unit.volume().blockCount();
        if (Long.compareUnsigned(cdb.lba(), capacity) > 0) {
            throw ScsiCommandException.lbaOutOfRange(cdb.lba());
        }
        long blocks = cdb.blocks() == 0 ? capacity - cdb.lba() : cdb.blocks();
        BlockCommands.checkRange(unit, cdb.lba(), blocks);
        if (blocks > unit.limits().maxWriteSameBlocks()) {
            throw ScsiCommandException.invalidFieldInCdb(context.cdb()[0] == 0x41 ? 7 : 10, 7);
        }
        unit.checkWritable();
        if (cdb.unmap() && !unit.thin()) {
            throw ScsiCommandException.invalidFieldInCdb(1, 3);
        }
        if (!cdb.noDataOut() && context.dataOutBytes() != blockSize) {
            throw ScsiCommandException.illegalRequest(AscAscq.INVALID_FIELD_IN_CDB);
        }
        if (blocks == 0) {
            return CompletableFuture.completedFuture(ScsiResult.good());
        }
        BlockVolume volume = unit.volume();
        if (cdb.unmap()) {
            return inPieces(context, cdb.lba(), blocks, volume::unmap).thenApply(v -> ScsiResult.good());
        }
        ByteBuf pattern = cdb.noDataOut()
                ? Unpooled.wrappedBuffer(new byte[blockSize])
                : context.dataOut().retainedSlice(context.dataOut().readerIndex(), blockSize);
        WriteOptions options = unit.writeOptions(false, false);
        return inPieces(context, cdb.lba(), blocks,
                (lba, piece) -> volume.writeSame(lba, piece, pattern.retainedDuplicate(), false, options))
                .whenComplete((v, e) -> pattern.release())
                .thenApply(v -> ScsiResult.good());
    }

    static WriteSameCdb parse(byte[] cdb) {
        Cdb.noProtection(cdb);
        if ((cdb[1] & 0x10) != 0) {
            throw ScsiCommandException.invalidFieldInCdb(1, 4);
        }
        boolean unmap = (cdb[1] & 0x08) != 0;
        if (cdb[0] == 0x41) {
            Cdb.reserved(cdb, 1, 0x07);
            Cdb.reserved(cdb, 6, 0xE0);
            return new WriteSameCdb(Cdb.u32(cdb, 2), Cdb.u16(cdb, 7), unmap, false);
        }
        Cdb.reserved(cdb, 1, 0x06);
        Cdb.reserved(cdb, 14, 0xE0);
        return new WriteSameCdb(Cdb.u64(cdb, 2), Cdb.u32(cdb, 10), unmap, (cdb[1] & 0x01) != 0);
    }

    /** One volume call over a piece of the range. */
    @FunctionalInterface
    private interface PieceOperation {
        CompletableFuture<Void> apply(long lba, long blocks);
    }

    /** Applies {@code operation} to the range one piece at a time, stopping between pieces when the task is aborted. */
    private static CompletionStage<Void> inPieces(CommandContext context, long lba, long blocks,
                                                  PieceOperation operation) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        nextPiece(context, lba, blocks, operation, done);
        return done;
    }

    private static void nextPiece(CommandContext context, long lba, long remaining, PieceOperation operation,
                                  CompletableFuture<Void> done) {
        try {
            context.checkNotAborted();
        } catch (TaskAbortedException e) {
            done.completeExceptionally(e);
            return;
        }
        long piece = Math.min(remaining, PIECE_BLOCKS);
        operation.apply(lba, piece).whenComplete((v, failure) -> {
            if (failure != null) {
                done.completeExceptionally(failure);
            } else if (piece == remaining) {
                done.complete(null);
            } else {
                nextPiece(context, lba + piece, remaining - piece, operation, done);
            }
        });
    }
}
