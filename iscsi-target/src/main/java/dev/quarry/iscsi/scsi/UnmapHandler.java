package dev.quarry.iscsi.scsi;

import dev.quarry.block.BlockRange;
import dev.quarry.block.BlockVolume;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * UNMAP (SBC-3 §5.25), offered on thin volumes only. Every descriptor is checked before any
 * block is unmapped: a range beyond the capacity ends in LBA OUT OF RANGE, more descriptors or
 * blocks than the Block Limits page allows in INVALID FIELD IN PARAMETER LIST. Descriptors are
 * then unmapped one after the other, with abort checks between them.
 *
 * <pre>
 * parameter list: 0..1 UNMAP DATA LENGTH (n-1)  2..3 BLOCK DESCRIPTOR DATA LENGTH  4..7 reserved
 *                 8..  descriptors of 16 bytes: LBA (8), NUMBER OF LOGICAL BLOCKS (4), reserved (4)
 * </pre>
 *
 * <p>Stateless; thread-safe.
 */
final class UnmapHandler implements CommandHandler {

    private record Extent(long lba, long blocks) {
    }

    @Override
    public CompletionStage<ScsiResult> execute(CommandContext context) {
        LogicalUnit unit = context.unit();
        byte[] cdb = context.cdb();
        Cdb.reserved(cdb, 1, 0xFF);
        Cdb.reservedBytes(cdb, 2, 6);
        Cdb.reserved(cdb, 6, 0xE0);
        int length = Cdb.u16(cdb, 7);
        context.expectDataOut(length);
        if (length == 0) {
            return CompletableFuture.completedFuture(ScsiResult.good());
        }
        if (length < 8) {
            throw ScsiCommandException.parameterListLengthError();
        }
        byte[] list = context.parameterList(length);
        List<Extent> extents = extents(unit, list);
        unit.checkWritable();
        CompletableFuture<Void> done = CompletableFuture.completedFuture(null);
        BlockVolume volume = unit.volume();
        for (Extent extent : extents) {
            done = done.thenCompose(v -> {
                context.checkNotAborted();
                return volume.unmap(extent.lba(), extent.blocks());
            });
        }
        return done.thenApply(v -> ScsiResult.good());
    }

    private static List<Extent> extents(LogicalUnit unit, byte[] list) {
        int descriptorBytes = Math.min(Cdb.u16(list, 2), list.length - 8) & ~0xF;
        int count = descriptorBytes / 16;
        DeviceLimits limits = unit.limits();
        if (count > limits.maxUnmapDescriptors()) {
            throw ScsiCommandException.invalidFieldInParameterList(2, 7);
        }
        long capacity = unit.volume().blockCount();
        long total = 0;
        List<Extent> extents = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int at = 8 + i * 16;
            long lba = Cdb.u64(list, at);
            long blocks = Cdb.u32(list, at + 8);
            if (!BlockRange.fits(lba, blocks, capacity)) {
                throw ScsiCommandException.lbaOutOfRange(lba);
            }
            total += blocks;
            if (total > limits.maxUnmapBlocks()) {
                throw ScsiCommandException.invalidFieldInParameterList(at + 8, 7);
            }
            if (blocks > 0) {
                extents.add(new Extent(lba, blocks));
            }
        }
        return extents;
    }
}
