package dev.quarry.iscsi.scsi;

/**
 * Reads big-endian fields of a CDB or a parameter list held in a {@code byte[]} and enforces
 * reserved bits (SPC-4 §4.2.1: a reserved bit set to one ends the command with INVALID FIELD IN
 * CDB pointing at it).
 *
 * <p>Stateless; thread-safe.
 */
final class Cdb {

    private Cdb() {
    }

    static int u8(byte[] b, int at) {
        return b[at] & 0xFF;
    }

    static int u16(byte[] b, int at) {
        return (b[at] & 0xFF) << 8 | b[at + 1] & 0xFF;
    }

    static int u24(byte[] b, int at) {
        return (b[at] & 0xFF) << 16 | (b[at + 1] & 0xFF) << 8 | b[at + 2] & 0xFF;
    }

    static long u32(byte[] b, int at) {
        return ((long) (b[at] & 0xFF) << 24) | (b[at + 1] & 0xFF) << 16 | (b[at + 2] & 0xFF) << 8 | b[at + 3] & 0xFF;
    }

    static long u64(byte[] b, int at) {
        return u32(b, at) << 32 | u32(b, at + 4);
    }

    /** Fails with INVALID FIELD IN CDB if any bit of {@code mask} is set in byte {@code at}. */
    static void reserved(byte[] cdb, int at, int mask) {
        int set = cdb[at] & mask;
        if (set != 0) {
            throw ScsiCommandException.invalidFieldInCdb(at, 31 - Integer.numberOfLeadingZeros(set));
        }
    }

    /** Fails with INVALID FIELD IN CDB if any byte in {@code [from, to)} is not zero. */
    static void reservedBytes(byte[] cdb, int from, int to) {
        for (int i = from; i < to; i++) {
            reserved(cdb, i, 0xFF);
        }
    }

    /**
     * Checks the control byte (the last byte of the CDB): NACA is not supported (NormACA is 0 in
     * the standard INQUIRY data), so NACA set to one is an invalid field (SAM-5 §5.2).
     */
    static void control(byte[] cdb, int cdbLength) {
        reserved(cdb, cdbLength - 1, 0x04);
    }

    /** The protection field (bits 7..5 of byte 1); any value but 0 is refused: no protection information. */
    static void noProtection(byte[] cdb) {
        if ((cdb[1] & 0xE0) != 0) {
            throw ScsiCommandException.invalidFieldInCdb(1, 7);
        }
    }
}
