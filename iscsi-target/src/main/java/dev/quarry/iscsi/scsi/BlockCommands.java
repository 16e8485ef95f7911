package dev.quarry.iscsi.scsi;

import dev.quarry.block.BlockRange;
import io.netty.buffer.ByteBuf;

/**
 * Checks and byte work shared by the block command handlers: LBA ranges against the current
 * capacity (SBC-3 §4.5), the maximum transfer length of the Block Limits VPD page, and comparing
 * buffers for VERIFY and COMPARE AND WRITE.
 *
 * <p>Stateless; thread-safe.
 */
final class BlockCommands {

    private BlockCommands() {
    }

    /** Fails with LBA OUT OF RANGE unless {@code blocks} blocks from {@code lba} lie within the unit. */
    static void checkRange(LogicalUnit unit, long lba, long blocks) {
        if (!BlockRange.fits(lba, blocks, unit.volume().blockCount())) {
            throw ScsiCommandException.lbaOutOfRange(lba);
        }
    }

    /** Fails with INVALID FIELD IN CDB (at {@code lengthByte}) when {@code blocks} exceeds the maximum transfer length. */
    static void checkTransferLength(LogicalUnit unit, long blocks, int lengthByte) {
        if (blocks > unit.limits().maxTransferBlocks()) {
            throw ScsiCommandException.invalidFieldInCdb(lengthByte, 7);
        }
    }

    /**
     * The offset of the first byte where {@code a} (from index {@code aIndex}) and {@code b}
     * (from {@code bIndex}) differ within {@code length} bytes, or -1 when they are equal.
     */
    static int firstDifference(ByteBuf a, int aIndex, ByteBuf b, int bIndex, int length) {
        int i = 0;
        while (i + Long.BYTES <= length && a.getLong(aIndex + i) == b.getLong(bIndex + i)) {
            i += Long.BYTES;
        }
        for (; i < length; i++) {
            if (a.getByte(aIndex + i) != b.getByte(bIndex + i)) {
                return i;
            }
        }
        return -1;
    }

    /** Fails with MISCOMPARE / MISCOMPARE DURING VERIFY OPERATION, INFORMATION = {@code offset}. */
    static ScsiCommandException miscompare(long offset) {
        return new ScsiCommandException(SenseKey.MISCOMPARE, AscAscq.MISCOMPARE_DURING_VERIFY, offset);
    }
}
