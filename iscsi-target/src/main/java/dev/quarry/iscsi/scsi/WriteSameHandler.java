package dev.quarry.iscsi.scsi;

import dev.quarry.block.BlockVolume;
import dev.quarry.block.WriteOptions;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * WRITE SAME(10) and WRITE SAME(16) (SBC-3 §5.41-5.42): one block of Data-Out (or zeroes with
 * NDOB) written to every block of the range; with UNMAP on a thin volume the blocks may be
 * deallocated instead, and read back as zeroes (LBPRZ). NUMBER OF LOGICAL BLOCKS 0 means up to
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
        ByteBuf pattern = cdb.noDataOut()
                ? Unpooled.wrappedBuffer(new byte[blockSize])
                : context.dataOut().retainedSlice(context.dataOut().readerIndex(), blockSize);
        WriteOptions options = unit.writeOptions(false, false);
        return writePieces(context, unit.volume(), pattern, cdb.lba(), blocks, cdb.unmap(), options)
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

    /** Writes {@code pattern} (owned; released at the end) over {@code blocks} blocks, one piece at a time. */
    private static CompletionStage<Void> writePieces(CommandContext context, BlockVolume volume, ByteBuf pattern,
                                                     long lba, long blocks, boolean unmap, WriteOptions options) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        nextPiece(context, volume, pattern, lba, blocks, unmap, options, done);
        return done.whenComplete((v, e) -> pattern.release());
    }

    private static void nextPiece(CommandContext context, BlockVolume volume, ByteBuf pattern, long lba, long remaining,
                                  boolean unmap, WriteOptions options, CompletableFuture<Void> done) {
        try {
            context.checkNotAborted();
        } catch (TaskAbortedException e) {
            done.completeExceptionally(e);
            return;
        }
        long piece = Math.min(remaining, PIECE_BLOCKS);
        volume.writeSame(lba, piece, pattern.retainedDuplicate(), unmap, options).whenComplete((v, failure) -> {
            if (failure != null) {
                done.completeExceptionally(failure);
            } else if (piece == remaining) {
                done.complete(null);
            } else {
                nextPiece(context, volume, pattern, lba + piece, remaining - piece, unmap, options, done);
            }
        });
    }
}
