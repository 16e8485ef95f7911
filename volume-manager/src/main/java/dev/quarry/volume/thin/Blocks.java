package dev.quarry.volume.thin;

import io.netty.buffer.ByteBuf;

/**
 * The geometry of thin volumes: 512-byte logical blocks (LBAs) under 4 KiB mapped blocks
 * (DESIGN "Block"), and the checks on 4 KiB buffers.
 *
 * <p>Stateless and thread-safe.
 */
final class Blocks {

    static final int LBA_BYTES = 512;
    static final int BLOCK_BYTES = 4096;
    static final int LBAS_PER_BLOCK = BLOCK_BYTES / LBA_BYTES;
    /** Blocks per mutation: writes up to this size are atomic. */
    static final int MUTATION_BLOCKS = 256;
    /** Blocks per device append (one chunk group). */
    static final int APPEND_BLOCKS = 64;

    private Blocks() {
    }

    static long blockOf(long lba) {
        return lba / LBAS_PER_BLOCK;
    }

    /** The first block after the LBA range [lba, lba + lbas). */
    static long blockEnd(long lba, long lbas) {
        return (lba + lbas + LBAS_PER_BLOCK - 1) / LBAS_PER_BLOCK;
    }

    static boolean aligned(long lba, long lbas) {
        return lba % LBAS_PER_BLOCK == 0 && lbas % LBAS_PER_BLOCK == 0;
    }

    /** Whether the 4 KiB block at {@code at} of {@code buf} holds only zero bytes. */
    static boolean isZero(ByteBuf buf, int at) {
        for (int i = 0; i < BLOCK_BYTES; i += 8) {
            if (buf.getLong(at + i) != 0) {
                return false;
            }
        }
        return true;
    }
}
