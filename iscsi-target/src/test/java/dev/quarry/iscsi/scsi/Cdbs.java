package dev.quarry.iscsi.scsi;

/** Raw CDBs as initiators send them, for tests. */
final class Cdbs {

    private Cdbs() {
    }

    static byte[] bytes(int... values) {
        byte[] out = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = (byte) values[i];
        }
        return out;
    }

    static byte[] testUnitReady() {
        return new byte[6];
    }

    static byte[] inquiry(boolean evpd, int page, int allocation) {
        return bytes(0x12, evpd ? 1 : 0, page, allocation >> 8, allocation, 0);
    }

    static byte[] requestSense(boolean descriptor, int allocation) {
        return bytes(0x03, descriptor ? 1 : 0, 0, 0, allocation, 0);
    }

    static byte[] reportLuns(int select, int allocation) {
        byte[] cdb = new byte[12];
        cdb[0] = (byte) 0xA0;
        cdb[2] = (byte) select;
        putInt(cdb, 6, allocation);
        return cdb;
    }

    static byte[] read6(int lba, int blocks) {
        return bytes(0x08, lba >> 16 & 0x1F, lba >> 8, lba, blocks, 0);
    }

    static byte[] write6(int lba, int blocks) {
        return bytes(0x0A, lba >> 16 & 0x1F, lba >> 8, lba, blocks, 0);
    }

    static byte[] rw10(int opcode, long lba, int blocks, int flags) {
        byte[] cdb = new byte[10];
        cdb[0] = (byte) opcode;
        cdb[1] = (byte) flags;
        putInt(cdb, 2, (int) lba);
        cdb[7] = (byte) (blocks >> 8);
        cdb[8] = (byte) blocks;
        return cdb;
    }

    static byte[] rw12(int opcode, long lba, long blocks, int flags) {
        byte[] cdb = new byte[12];
        cdb[0] = (byte) opcode;
        cdb[1] = (byte) flags;
        putInt(cdb, 2, (int) lba);
        putInt(cdb, 6, (int) blocks);
        return cdb;
    }

    static byte[] rw16(int opcode, long lba, long blocks, int flags) {
        byte[] cdb = new byte[16];
        cdb[0] = (byte) opcode;
        cdb[1] = (byte) flags;
        putLong(cdb, 2, lba);
        putInt(cdb, 10, (int) blocks);
        return cdb;
    }

    static byte[] read10(long lba, int blocks) {
        return rw10(0x28, lba, blocks, 0);
    }

    static byte[] write10(long lba, int blocks) {
        return rw10(0x2A, lba, blocks, 0);
    }

    static byte[] read16(long lba, long blocks) {
        return rw16(0x88, lba, blocks, 0);
    }

    static byte[] write16(long lba, long blocks) {
        return rw16(0x8A, lba, blocks, 0);
    }

    static byte[] compareAndWrite(long lba, int blocks) {
        byte[] cdb = new byte[16];
        cdb[0] = (byte) 0x89;
        putLong(cdb, 2, lba);
        cdb[13] = (byte) blocks;
        return cdb;
    }

    static byte[] writeSame10(long lba, int blocks, int flags) {
        return rw10(0x41, lba, blocks, flags);
    }

    static byte[] writeSame16(long lba, long blocks, int flags) {
        return rw16(0x93, lba, blocks, flags);
    }

    static byte[] writeAtomic16(long lba, int blocks, int flags) {
        byte[] cdb = new byte[16];
        cdb[0] = (byte) 0x9C;
        cdb[1] = (byte) flags;
        putLong(cdb, 2, lba);
        cdb[12] = (byte) (blocks >> 8);
        cdb[13] = (byte) blocks;
        return cdb;
    }

    static byte[] unmap(int parameterLength) {
        byte[] cdb = new byte[10];
        cdb[0] = 0x42;
        cdb[7] = (byte) (parameterLength >> 8);
        cdb[8] = (byte) parameterLength;
        return cdb;
    }

    static byte[] unmapList(long... lbaAndBlocks) {
        int count = lbaAndBlocks.length / 2;
        byte[] list = new byte[8 + 16 * count];
        putShort(list, 0, list.length - 2);
        putShort(list, 2, 16 * count);
        for (int i = 0; i < count; i++) {
            putLong(list, 8 + 16 * i, lbaAndBlocks[2 * i]);
            putInt(list, 16 + 16 * i, (int) lbaAndBlocks[2 * i + 1]);
        }
        return list;
    }

    static byte[] getLbaStatus(long lba, int allocation) {
        byte[] cdb = new byte[16];
        cdb[0] = (byte) 0x9E;
        cdb[1] = 0x12;
        putLong(cdb, 2, lba);
        putInt(cdb, 10, allocation);
        return cdb;
    }

    static byte[] readCapacity10() {
        return new byte[] {0x25, 0, 0, 0, 0, 0, 0, 0, 0, 0};
    }

    static byte[] readCapacity16(int allocation) {
        byte[] cdb = new byte[16];
        cdb[0] = (byte) 0x9E;
        cdb[1] = 0x10;
        putInt(cdb, 10, allocation);
        return cdb;
    }

    static byte[] modeSense6(int pageControl, int page, int subpage, int allocation, boolean dbd) {
        return bytes(0x1A, dbd ? 0x08 : 0, pageControl << 6 | page, subpage, allocation, 0);
    }

    static byte[] modeSense10(int pageControl, int page, int allocation, boolean llbaa) {
        return bytes(0x5A, llbaa ? 0x10 : 0, pageControl << 6 | page, 0, 0, 0, 0, allocation >> 8, allocation, 0);
    }

    static byte[] modeSelect6(boolean save, int length) {
        return bytes(0x15, 0x10 | (save ? 1 : 0), 0, 0, length, 0);
    }

    static byte[] synchronizeCache10(long lba, int blocks, boolean immediate) {
        return rw10(0x35, lba, blocks, immediate ? 0x02 : 0);
    }

    static byte[] prefetch10(long lba, int blocks, boolean immediate) {
        return rw10(0x34, lba, blocks, immediate ? 0x02 : 0);
    }

    static byte[] persistentReserveIn(int serviceAction, int allocation) {
        return bytes(0x5E, serviceAction, 0, 0, 0, 0, 0, allocation >> 8, allocation, 0);
    }

    static byte[] persistentReserveOut(int serviceAction, int type, int length) {
        byte[] cdb = new byte[10];
        cdb[0] = 0x5F;
        cdb[1] = (byte) serviceAction;
        cdb[2] = (byte) type;
        putInt(cdb, 5, length);
        return cdb;
    }

    /** A basic PERSISTENT RESERVE OUT parameter list. */
    static byte[] prOutParameters(long key, long serviceActionKey, int flags) {
        byte[] list = new byte[24];
        putLong(list, 0, key);
        putLong(list, 8, serviceActionKey);
        list[20] = (byte) flags;
        return list;
    }

    static byte[] reportSupportedOpcodes(boolean timeouts, int options, int opcode, int serviceAction, int allocation) {
        byte[] cdb = new byte[12];
        cdb[0] = (byte) 0xA3;
        cdb[1] = 0x0C;
        cdb[2] = (byte) ((timeouts ? 0x80 : 0) | options);
        cdb[3] = (byte) opcode;
        putShort(cdb, 4, serviceAction);
        putInt(cdb, 6, allocation);
        return cdb;
    }

    static byte[] maintenanceIn(int serviceAction, int allocation) {
        byte[] cdb = new byte[12];
        cdb[0] = (byte) 0xA3;
        cdb[1] = (byte) serviceAction;
        putInt(cdb, 6, allocation);
        return cdb;
    }

    static byte[] sanitize(int serviceAction, boolean immediate, int length) {
        byte[] cdb = new byte[10];
        cdb[0] = 0x48;
        cdb[1] = (byte) ((immediate ? 0x80 : 0) | serviceAction);
        putShort(cdb, 7, length);
        return cdb;
    }

    static byte[] extendedCopy(int length) {
        byte[] cdb = new byte[16];
        cdb[0] = (byte) 0x83;
        putInt(cdb, 10, length);
        return cdb;
    }

    static byte[] receiveCopyResults(int serviceAction, int listId, int allocation) {
        byte[] cdb = new byte[16];
        cdb[0] = (byte) 0x84;
        cdb[1] = (byte) serviceAction;
        cdb[2] = (byte) listId;
        putInt(cdb, 10, allocation);
        return cdb;
    }

    static void putShort(byte[] out, int at, int value) {
        out[at] = (byte) (value >> 8);
        out[at + 1] = (byte) value;
    }

    static void putInt(byte[] out, int at, int value) {
        out[at] = (byte) (value >> 24);
        out[at + 1] = (byte) (value >> 16);
        out[at + 2] = (byte) (value >> 8);
        out[at + 3] = (byte) value;
    }

    static void putLong(byte[] out, int at, long value) {
        putInt(out, at, (int) (value >> 32));
        putInt(out, at + 4, (int) value);
    }
}
