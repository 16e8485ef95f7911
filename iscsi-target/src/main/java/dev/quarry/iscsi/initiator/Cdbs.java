package dev.quarry.iscsi.initiator;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * The command descriptor blocks the initiator sends (SPC-4, SBC-3), built as 16-byte arrays (the
 * CDB field of the SCSI Command BHS), and the UNMAP parameter list.
 *
 * <pre>
 * READ(16) 88h / WRITE(16) 8Ah      SYNCHRONIZE CACHE(16) 91h       UNMAP 42h
 *  1   FUA (bit 3)                    2..9   LBA (0: all)             7..8  parameter list length
 *  2..9   LBA                         10..13 blocks (0: all)
 *  10..13 transfer length (blocks)
 * </pre>
 *
 * <p>Stateless and thread-safe.
 */
final class Cdbs {

    static final int TEST_UNIT_READY = 0x00;
    static final int INQUIRY = 0x12;
    static final int READ_CAPACITY_10 = 0x25;
    static final int SYNCHRONIZE_CACHE_10 = 0x35;
    static final int UNMAP = 0x42;
    static final int READ_16 = 0x88;
    static final int WRITE_16 = 0x8A;
    static final int SYNCHRONIZE_CACHE_16 = 0x91;
    static final int SERVICE_ACTION_IN_16 = 0x9E;
    static final int READ_CAPACITY_16 = 0x10;
    /** The FUA bit in byte 1 of READ/WRITE(16). */
    private static final int FUA = 0x08;
    /** UNMAP parameter list: 8-byte header, then 16-byte block descriptors. */
    static final int UNMAP_HEADER = 8;
    static final int UNMAP_DESCRIPTOR = 16;

    private Cdbs() {
    }

    static byte[] testUnitReady() {
        return new byte[6];
    }

    /** INQUIRY: the standard data when {@code page} is negative, else the VPD page. */
    static byte[] inquiry(int page, int allocationLength) {
        byte[] cdb = new byte[6];
        cdb[0] = INQUIRY;
        if (page >= 0) {
            cdb[1] = 0x01;
            cdb[2] = (byte) page;
        }
        putShort(cdb, 3, allocationLength);
        return cdb;
    }

    static byte[] readCapacity16(int allocationLength) {
        byte[] cdb = new byte[16];
        cdb[0] = (byte) SERVICE_ACTION_IN_16;
        cdb[1] = READ_CAPACITY_16;
        putInt(cdb, 10, allocationLength);
        return cdb;
    }

    static byte[] readCapacity10() {
        byte[] cdb = new byte[10];
        cdb[0] = READ_CAPACITY_10;
        return cdb;
    }

    static byte[] read16(long lba, int blocks) {
        return readWrite16(READ_16, lba, blocks, false);
    }

    static byte[] write16(long lba, int blocks, boolean forceUnitAccess) {
        return readWrite16(WRITE_16, lba, blocks, forceUnitAccess);
    }

    /** SYNCHRONIZE CACHE(16) of the whole LUN. */
    static byte[] synchronizeCache16() {
        byte[] cdb = new byte[16];
        cdb[0] = (byte) SYNCHRONIZE_CACHE_16;
        return cdb;
    }

    /** SYNCHRONIZE CACHE(10) of the whole LUN. */
    static byte[] synchronizeCache10() {
        byte[] cdb = new byte[10];
        cdb[0] = SYNCHRONIZE_CACHE_10;
        return cdb;
    }

    static byte[] unmap(int parameterListLength) {
        byte[] cdb = new byte[10];
        cdb[0] = UNMAP;
        putShort(cdb, 7, parameterListLength);
        return cdb;
    }

    /**
     * The UNMAP parameter list for {@code ranges} (pairs of LBA and block count, each count at
     * most 2^32-1); the caller owns the buffer.
     */
    static ByteBuf unmapParameters(long[] lbas, long[] counts, ByteBufAllocator alloc) {
        int descriptors = lbas.length;
        ByteBuf list = alloc.directBuffer(UNMAP_HEADER + descriptors * UNMAP_DESCRIPTOR);
        list.writeShort(6 + descriptors * UNMAP_DESCRIPTOR).writeShort(descriptors * UNMAP_DESCRIPTOR).writeInt(0);
        for (int i = 0; i < descriptors; i++) {
            list.writeLong(lbas[i]).writeInt((int) counts[i]).writeInt(0);
        }
        return list;
    }

    private static byte[] readWrite16(int opcode, long lba, int blocks, boolean forceUnitAccess) {
        byte[] cdb = new byte[16];
        cdb[0] = (byte) opcode;
        cdb[1] = (byte) (forceUnitAccess ? FUA : 0);
        putLong(cdb, 2, lba);
        putInt(cdb, 10, blocks);
        return cdb;
    }

    private static void putShort(byte[] b, int at, int value) {
        b[at] = (byte) (value >>> 8);
        b[at + 1] = (byte) value;
    }

    private static void putInt(byte[] b, int at, int value) {
        putShort(b, at, value >>> 16);
        putShort(b, at + 2, value);
    }

    private static void putLong(byte[] b, int at, long value) {
        putInt(b, at, (int) (value >>> 32));
        putInt(b, at + 4, (int) value);
    }
}
