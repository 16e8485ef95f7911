package dev.quarry.volume.crash;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.util.zip.CRC32C;

/**
 * Self-checking 4 KiB block contents for the crash test: magic, block number, version, a
 * pseudo-random body derived from both, and a CRC32C over the rest, so a reader can tell an
 * intact block (and which write it came from) from a torn or misplaced one.
 */
final class BlockStamp {

    static final int BYTES = 4096;
    private static final int MAGIC = 0x51435254;

    private BlockStamp() {
    }

    static ByteBuf write(ByteBuf out, long block, long version) {
        int start = out.writerIndex();
        out.writeInt(MAGIC).writeLong(block).writeLong(version);
        long x = block * 0x9E3779B97F4A7C15L ^ version;
        while (out.writerIndex() - start < BYTES - 4) {
            x ^= x << 13;
            x ^= x >>> 7;
            x ^= x << 17;
            out.writeInt((int) x);
        }
        CRC32C crc = new CRC32C();
        crc.update(out.nioBuffer(start, BYTES - 4));
        out.writeInt((int) crc.getValue());
        return out;
    }

    static ByteBuf blocks(long first, int count, long version) {
        ByteBuf out = ByteBufAllocator.DEFAULT.directBuffer(count * BYTES);
        for (int i = 0; i < count; i++) {
            write(out, first + i, version);
        }
        return out;
    }

    /**
     * The version stamped in the block at {@code at}: -1 when the block is all zero (never
     * written), throws when it is torn or belongs to another block.
     */
    static long version(ByteBuf buf, int at, long block) {
        boolean zero = true;
        for (int i = 0; i < BYTES && zero; i += 8) {
            zero = buf.getLong(at + i) == 0;
        }
        if (zero) {
            return -1;
        }
        CRC32C crc = new CRC32C();
        crc.update(buf.nioBuffer(at, BYTES - 4));
        if (buf.getInt(at) != MAGIC || buf.getInt(at + BYTES - 4) != (int) crc.getValue()) {
            throw new AssertionError("block " + block + " is torn or garbage");
        }
        if (buf.getLong(at + 4) != block) {
            throw new AssertionError("block " + block + " holds the data of block " + buf.getLong(at + 4));
        }
        return buf.getLong(at + 12);
    }
}
