package dev.quarry.volume.chunk;

import io.netty.buffer.ByteBuf;
import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/**
 * The self-describing chunk record as it lies in a segment: a 32-byte header, then the stored
 * payload, padded to a multiple of 16 bytes. The CRC32C covers header bytes 0..23 and the payload,
 * and is verified on every read; the chunk id lets a reader tell a live record from an older one
 * at the same place (chunk ids are never reused).
 *
 * <pre>
 *  0         4     5     6         8              12             16                     24        28        32
 *  +---------+-----+-----+---------+--------------+--------------+----------------------+---------+---------+
 *  | magic   | ver |codec| flags   | stored len   | logical len  | chunk id (u64)       | crc32c  | reserved|
 *  | "QCHK"  | 1   | u8  | u16 (0) | u32          | u32          |                      | u32     | 0       |
 *  +---------+-----+-----+---------+--------------+--------------+----------------------+---------+---------+
 *  | payload: stored len bytes (codec 0: the 4096 raw bytes of the block) ... | zero padding to 16 |
 * </pre>
 *
 * All integers big-endian. Stateless and thread-safe.
 */
public final class ChunkFormat {

    public static final int MAGIC = 0x5143484B;
    public static final int VERSION = 1;
    public static final int HEADER_BYTES = 32;
    public static final int ALIGNMENT = 16;
    /** Payload stored as is. LZ4 (a later codec) gets its own number. */
    public static final int CODEC_RAW = 0;

    private static final int CRC_OFFSET = 24;
    private static final int ID_OFFSET = 16;

    private ChunkFormat() {
    }

    /** Record bytes for a payload of {@code storedLength} bytes. */
    public static int recordLength(int storedLength) {
        return align(HEADER_BYTES + storedLength);
    }

    public static int align(int bytes) {
        return (bytes + ALIGNMENT - 1) & -ALIGNMENT;
    }

    /**
     * Appends a record for {@code payload} (borrowed, {@code storedLength} readable bytes) to
     * {@code out}; returns its CRC32C.
     */
    public static int write(ByteBuf out, long chunkId, int codec, int logicalLength, ByteBuf payload) {
        int stored = payload.readableBytes();
        int start = out.writerIndex();
        out.writeInt(MAGIC).writeByte(VERSION).writeByte(codec).writeShort(0)
                .writeInt(stored).writeInt(logicalLength).writeLong(chunkId);
        CRC32C crc = new CRC32C();
        crc.update(out.nioBuffer(start, CRC_OFFSET));
        crc.update(payload.nioBuffer(payload.readerIndex(), stored));
        int checksum = (int) crc.getValue();
        out.writeInt(checksum).writeInt(0);
        out.writeBytes(payload, payload.readerIndex(), stored);
        out.writeZero(recordLength(stored) - HEADER_BYTES - stored);
        return checksum;
    }

    /** The header of the record at {@code at} in {@code buf}, or null when no record starts there. */
    public static Header header(ByteBuf buf, int at) {
        if (buf.writerIndex() - at < HEADER_BYTES || buf.getInt(at) != MAGIC || buf.getByte(at + 4) != VERSION) {
            return null;
        }
        int stored = buf.getInt(at + 8);
        int logical = buf.getInt(at + 12);
        if (stored < 0 || stored > 0xFFFF - HEADER_BYTES || logical < 0) {
            return null;
        }
        return new Header(buf.getByte(at + 5) & 0xFF, stored, logical, buf.getLong(at + ID_OFFSET), buf.getInt(at + CRC_OFFSET));
    }

    /** Whether the record at {@code at} (whose header is {@code header}) is intact. */
    public static boolean verify(ByteBuf buf, int at, Header header) {
        if (buf.writerIndex() - at < HEADER_BYTES + header.storedLength()) {
            return false;
        }
        CRC32C crc = new CRC32C();
        ByteBuffer head = buf.nioBuffer(at, CRC_OFFSET);
        crc.update(head);
        crc.update(buf.nioBuffer(at + HEADER_BYTES, header.storedLength()));
        return (int) crc.getValue() == header.checksum();
    }

    /**
     * A parsed record header.
     *
     * @param codec the payload codec
     * @param storedLength payload bytes on disk
     * @param logicalLength payload bytes once decoded
     * @param chunkId the chunk the record belongs to
     * @param checksum the stored CRC32C
     */
    public record Header(int codec, int storedLength, int logicalLength, long chunkId, int checksum) {

        public int recordLength() {
            return ChunkFormat.recordLength(storedLength);
        }
    }
}
