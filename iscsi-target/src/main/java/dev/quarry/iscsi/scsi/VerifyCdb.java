package dev.quarry.iscsi.scsi;

/**
 * The normalised CDB of VERIFY and WRITE AND VERIFY (SBC-3 §5.33-5.35, §5.36-5.38): LBA, number
 * of blocks and BYTCHK (00b verify the medium only, 01b compare with the Data-Out, 11b compare
 * every block with one block of Data-Out; 10b is reserved).
 *
 * <p>Immutable and thread-safe.
 */
record VerifyCdb(long lba, long blocks, int bytchk) {

    static final int MEDIUM_ONLY = 0;
    static final int COMPARE = 1;
    static final int COMPARE_ONE_BLOCK = 3;

    /** Decodes {@code cdb}; WRITE AND VERIFY accepts BYTCHK 00b and 01b only. */
    static VerifyCdb parse(ScsiOpcode opcode, byte[] cdb) {
        Cdb.noProtection(cdb);
        Cdb.reserved(cdb, 1, 0x09);
        int bytchk = (cdb[1] & 0x06) >>> 1;
        boolean write = opcode == ScsiOpcode.WRITE_AND_VERIFY_10 || opcode == ScsiOpcode.WRITE_AND_VERIFY_12
                || opcode == ScsiOpcode.WRITE_AND_VERIFY_16;
        if (bytchk == 2 || write && bytchk == COMPARE_ONE_BLOCK) {
            throw ScsiCommandException.invalidFieldInCdb(1, 2);
        }
        return switch (opcode) {
            case VERIFY_10, WRITE_AND_VERIFY_10 -> {
                Cdb.reserved(cdb, 6, 0xE0);
                yield new VerifyCdb(Cdb.u32(cdb, 2), Cdb.u16(cdb, 7), bytchk);
            }
            case VERIFY_12, WRITE_AND_VERIFY_12 -> {
                Cdb.reserved(cdb, 10, 0xE0);
                yield new VerifyCdb(Cdb.u32(cdb, 2), Cdb.u32(cdb, 6), bytchk);
            }
            case VERIFY_16, WRITE_AND_VERIFY_16 -> {
                Cdb.reserved(cdb, 14, 0xE0);
                yield new VerifyCdb(Cdb.u64(cdb, 2), Cdb.u32(cdb, 10), bytchk);
            }
            default -> throw new IllegalArgumentException("not a verify opcode: " + opcode);
        };
    }
}
