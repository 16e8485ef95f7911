package dev.quarry.iscsi.scsi;

import dev.quarry.block.BlockVolume;
import dev.quarry.block.LbaStatus;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * GET LBA STATUS (SBC-3 §5.6), offered on thin volumes only: the provisioning status of the
 * blocks from STARTING LOGICAL BLOCK ADDRESS on, as many descriptors as the allocation length
 * holds, adjacent extents of one status merged. The first descriptor starts at the requested LBA.
 * The volume is asked at most {@link #MAX_QUERIES} times per command.
 *
 * <pre>
 * 0..3 PARAMETER DATA LENGTH  4..7 reserved  8.. descriptors of 16 bytes:
 *      LBA (8), NUMBER OF LOGICAL BLOCKS (4), PROVISIONING STATUS (byte 12, bits 3..0), reserved (3)
 * </pre>
 *
 * <p>Stateless; thread-safe.
 */
final class GetLbaStatusHandler implements CommandHandler {

    static final int MAX_QUERIES = 16;
    private static final long MAX_DESCRIPTOR_BLOCKS = 0xFFFF_FFFFL;

    @Override
    public CompletionStage<ScsiResult> execute(CommandContext context) {
        LogicalUnit unit = context.unit();
        byte[] cdb = context.cdb();
        Cdb.reserved(cdb, 1, 0xE0);
        Cdb.reserved(cdb, 14, 0xFF);
        long lba = Cdb.u64(cdb, 2);
        long allocation = Cdb.u32(cdb, 10);
        long capacity = unit.volume().blockCount();
        if (lba < 0 || lba >= capacity) {
            throw ScsiCommandException.lbaOutOfRange(lba);
        }
        int wanted = (int) Math.max(1, Math.min(64, (allocation - 8) / 16));
        return collect(context, unit.volume(), lba, capacity, wanted, new ArrayList<>(), 0)
                .thenApply(extents -> CommandContext.goodData(encode(extents), allocation));
    }

    /** Asks the volume for extents from {@code lba} until {@code wanted} merged extents or the end are reached. */
    private static CompletionStage<List<LbaStatus>> collect(CommandContext context, BlockVolume volume, long lba,
                                                           long capacity, int wanted, List<LbaStatus> merged, int queries) {
        if (lba >= capacity || queries == MAX_QUERIES || merged.size() > wanted) {
            return CompletableFuture.completedFuture(merged);
        }
        return volume.provisioningStatus(lba, capacity - lba).thenCompose(extents -> {
            long next = lba;
            for (LbaStatus extent : extents) {
                if (extent.lba() != next || extent.blocks() <= 0) {
                    break;
                }
                append(merged, extent);
                next = extent.lba() + extent.blocks();
            }
            if (next == lba) {
                return CompletableFuture.completedFuture(merged);
            }
            context.checkNotAborted();
            return collect(context, volume, next, capacity, wanted, merged, queries + 1);
        });
    }

    private static void append(List<LbaStatus> merged, LbaStatus extent) {
        if (!merged.isEmpty()) {
            LbaStatus last = merged.get(merged.size() - 1);
            if (last.state() == extent.state()) {
                merged.set(merged.size() - 1, new LbaStatus(last.lba(), last.blocks() + extent.blocks(), last.state()));
                return;
            }
        }
        merged.add(extent);
    }

    private static byte[] encode(List<LbaStatus> extents) {
        ByteArrayOutputStream descriptors = new ByteArrayOutputStream();
        for (LbaStatus extent : extents) {
            long lba = extent.lba();
            long remaining = extent.blocks();
            while (remaining > 0) {
                long blocks = Math.min(remaining, MAX_DESCRIPTOR_BLOCKS);
                byte[] descriptor = new byte[16];
                Bytes.putLong(descriptor, 0, lba);
                Bytes.putInt(descriptor, 8, (int) blocks);
                descriptor[12] = (byte) extent.state().code();
                descriptors.writeBytes(descriptor);
                lba += blocks;
                remaining -= blocks;
            }
        }
        byte[] out = new byte[8 + descriptors.size()];
        Bytes.putInt(out, 0, out.length - 4);
        System.arraycopy(descriptors.toByteArray(), 0, out, 8, descriptors.size());
        return out;
    }
}
