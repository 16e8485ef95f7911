package dev.quarry.iscsi.scsi;

/**
 * The normalised CDB of the READ, WRITE, ORWRITE and WRITE ATOMIC families (SBC-3 §5.8-5.11,
 * §5.27-5.31, §5.20; SBC-4 WRITE ATOMIC(16)): LBA, number of blocks and FUA, decoded from the
 * 6-, 10-, 12- and 16-byte forms. DPO and FUA_NV are accepted and have no further effect here;
 * protection fields other than 0 are refused (the unit has no protection information).
 *
 * <p>Immutable and thread-safe.
 *
 * @param lba the first logical block (an unsigned 64-bit value; negative means beyond 2^63)
 * @param blocks the number of blocks
 * @param fua force unit access
 */
record ReadWriteCdb(long lba, long blocks, boolean fua) {

    /** Decodes {@code cdb}, whose opcode is {@code opcode}. */
    static ReadWriteCdb parse(ScsiOpcode opcode, byte[] cdb) {
        return switch (opcode) {
            case READ_6, WRITE_6 -> sixByte(cdb);
            case READ_10, WRITE_10 -> {
                flags(cdb);
                Cdb.reserved(cdb, 6, 0xE0);
                yield new ReadWriteCdb(Cdb.u32(cdb, 2), Cdb.u16(cdb, 7), fua(cdb));
            }
            case READ_12, WRITE_12 -> {
                flags(cdb);
                Cdb.reserved(cdb, 10, 0xE0);
                yield new ReadWriteCdb(Cdb.u32(cdb, 2), Cdb.u32(cdb, 6), fua(cdb));
            }
            case READ_16, WRITE_16 -> {
                flags(cdb);
                Cdb.reserved(cdb, 14, 0xE0);
                yield new ReadWriteCdb(Cdb.u64(cdb, 2), Cdb.u32(cdb, 10), fua(cdb));
            }
            case ORWRITE_16 -> {
                flags(cdb);
                Cdb.reserved(cdb, 14, 0xE0);
                yield new ReadWriteCdb(Cdb.u64(cdb, 2), Cdb.u32(cdb, 10), fua(cdb));
            }
            case WRITE_ATOMIC_16 -> {
                flags(cdb);
                Cdb.reservedBytes(cdb, 10, 12);
                Cdb.reserved(cdb, 14, 0xE0);
                yield new ReadWriteCdb(Cdb.u64(cdb, 2), Cdb.u16(cdb, 12), fua(cdb));
            }
            default -> throw new IllegalArgumentException("not a read/write opcode: " + opcode);
        };
    }

    /** The byte offset of the TRANSFER LENGTH field in {@code opcode}'s CDB, for field pointers. */
    static int lengthField(ScsiOpcode opcode) {
        return switch (opcode.cdbLength()) {
            case 6 -> 4;
            case 10 -> 7;
            case 12 -> 6;
            default -> opcode == ScsiOpcode.WRITE_ATOMIC_16 ? 12 : 10;
        };
    }

    private static ReadWriteCdb sixByte(byte[] cdb) {
        Cdb.reserved(cdb, 1, 0xE0);
        long lba = (cdb[1] & 0x1F) << 16 | Cdb.u16(cdb, 2);
        int blocks = Cdb.u8(cdb, 4);
        return new ReadWriteCdb(lba, blocks == 0 ? 256 : blocks, false);
    }

    /** Byte 1: protection 7..5 refused, DPO 4, FUA 3, RARC 2 (not supported), FUA_NV 1, bit 0 reserved. */
    private static void flags(byte[] cdb) {
        Cdb.noProtection(cdb);
        Cdb.reserved(cdb, 1, 0x05);
    }

    private static boolean fua(byte[] cdb) {
        return (cdb[1] & 0x08) != 0;
    }
}
