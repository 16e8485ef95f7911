package dev.quarry.volume.disk;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.util.UUID;
import java.util.zip.CRC32C;

/**
 * The superblock written at the start of every backend disk, so that a disk is recognised (and a
 * wrong or foreign disk refused) when the pool is opened again. It fills the first 4 KiB; segments
 * start at {@link #DATA_START}.
 *
 * <pre>
 *  0                 8     9     10      12         16                 32                 48
 *  +-----------------+-----+-----+-------+----------+------------------+------------------+
 *  | magic "QRYDISK1"| ver | tier| 0     | disk id  | pool uuid        | disk uuid        |
 *  +-----------------+-----+-----+-------+----------+------------------+------------------+
 *  48            52              56         60
 *  | segment size| segment count | crc32c   | zero to 4096
 * </pre>
 * Big-endian; the CRC32C covers bytes 0..55. Immutable and thread-safe.
 *
 * @param diskId the disk id
 * @param poolUuid the pool the disk belongs to
 * @param diskUuid the disk's identity
 * @param tier the tier class
 * @param segmentSize bytes per segment
 * @param segmentCount segments on the disk
 */
public record DiskLabel(int diskId, UUID poolUuid, UUID diskUuid, TierClass tier, int segmentSize, int segmentCount) {

    /** Bytes of the label area read and written. */
    public static final int LENGTH = 4096;
    /** Where segment 0 starts: 1 MiB, aligned for any device. */
    public static final long DATA_START = 1L << 20;

    private static final long MAGIC = 0x5152594449534B31L;
    private static final int VERSION = 1;
    private static final int CRC_OFFSET = 56;

    /** The 4096-byte label; the caller owns the buffer. */
    public ByteBuf encode() {
        ByteBuf b = ByteBufAllocator.DEFAULT.directBuffer(LENGTH);
        b.writeLong(MAGIC).writeByte(VERSION).writeByte(tier.code()).writeShort(0).writeInt(diskId)
                .writeLong(poolUuid.getMostSignificantBits()).writeLong(poolUuid.getLeastSignificantBits())
                .writeLong(diskUuid.getMostSignificantBits()).writeLong(diskUuid.getLeastSignificantBits())
                .writeInt(segmentSize).writeInt(segmentCount);
        b.writeInt(crc(b));
        b.writeZero(LENGTH - b.writerIndex());
        return b;
    }

    /** Decodes a label (borrowed buffer); null when the disk carries none (never labelled). */
    public static DiskLabel decode(ByteBuf b) {
        int at = b.readerIndex();
        if (b.readableBytes() < CRC_OFFSET + 4 || b.getLong(at) != MAGIC) {
            return null;
        }
        if (b.getByte(at + 8) != VERSION || b.getInt(at + CRC_OFFSET) != crc(b.slice(at, CRC_OFFSET + 4))) {
            throw new IllegalArgumentException("disk label is damaged or of an unknown version");
        }
        return new DiskLabel(b.getInt(at + 12), new UUID(b.getLong(at + 16), b.getLong(at + 24)),
                new UUID(b.getLong(at + 32), b.getLong(at + 40)), TierClass.of(b.getByte(at + 9)),
                b.getInt(at + 48), b.getInt(at + 52));
    }

    /** Segments of {@code segmentSize} that fit on a device of {@code deviceBytes}. */
    public static int segmentsFor(long deviceBytes, int segmentSize) {
        long segments = (deviceBytes - DATA_START) / segmentSize;
        return (int) Math.max(0, Math.min(Integer.MAX_VALUE, segments));
    }

    private static int crc(ByteBuf b) {
        CRC32C crc = new CRC32C();
        crc.update(b.nioBuffer(b.readerIndex(), CRC_OFFSET));
        return (int) crc.getValue();
    }
}
