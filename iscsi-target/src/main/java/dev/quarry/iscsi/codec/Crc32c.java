package dev.quarry.iscsi.codec;

import io.netty.buffer.ByteBuf;
import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/**
 * The iSCSI header and data digest (RFC 7143 §13.1, CRC32C) over a region of a {@link ByteBuf},
 * computed with {@link CRC32C} without copying. The digest travels least significant byte first,
 * so callers read and write it with {@code getIntLE}/{@code writeIntLE}.
 *
 * <p>Stateless and thread-safe.
 */
public final class Crc32c {

    private static final byte[] ZEROS = new byte[4];

    private Crc32c() {
    }

    /** The CRC32C of {@code length} bytes of {@code buf} at {@code index} (borrowed). */
    public static int of(ByteBuf buf, int index, int length) {
        return ofPadded(buf, index, length, 0);
    }

    /**
     * The CRC32C of {@code length} bytes of {@code buf} at {@code index} (borrowed) followed by
     * {@code zeroPadding} zero bytes, as the data digest covers the segment's padding.
     */
    public static int ofPadded(ByteBuf buf, int index, int length, int zeroPadding) {
        CRC32C crc = new CRC32C();
        if (length > 0) {
            for (ByteBuffer chunk : buf.nioBuffers(index, length)) {
                crc.update(chunk);
            }
        }
        crc.update(ZEROS, 0, zeroPadding);
        return (int) crc.getValue();
    }
}
