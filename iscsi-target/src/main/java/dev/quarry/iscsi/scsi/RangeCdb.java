package dev.quarry.iscsi.scsi;

/**
 * The normalised CDB of SYNCHRONIZE CACHE and PRE-FETCH, 10- and 16-byte forms (SBC-3 §5.22,
 * §5.23, §5.14, §5.15): LBA, number of blocks (0: to the last block) and IMMED.
 *
 * <p>Immutable and thread-safe.
 */
record RangeCdb(long lba, long blocks, boolean immediate) {

    /** Decodes {@code cdb}: byte 1 carries IMMED (bit 1) and the obsolete SYNC_NV (bit 2, ignored); the rest is reserved. */
    static RangeCdb parse(byte[] cdb) {
        Cdb.reserved(cdb, 1, 0xF9);
        boolean immediate = (cdb[1] & 0x02) != 0;
        if (cdb[0] == 0x34 || cdb[0] == 0x35) {
            Cdb.reserved(cdb, 6, 0xE0);
            return new RangeCdb(Cdb.u32(cdb, 2), Cdb.u16(cdb, 7), immediate);
        }
        Cdb.reserved(cdb, 14, 0xE0);
        return new RangeCdb(Cdb.u64(cdb, 2), Cdb.u32(cdb, 10), immediate);
    }
}
