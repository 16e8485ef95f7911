package dev.quarry.block;

/**
 * A SCSI sense key with its additional sense code and qualifier (SPC-4 §4.5), as far as the
 * storage layer needs to name them. The SCSI layer maps these to sense data unchanged.
 *
 * <p>Immutable and thread-safe.
 *
 * @param senseKey the 4-bit sense key
 * @param asc the additional sense code
 * @param ascq the additional sense code qualifier
 */
public record SenseCode(int senseKey, int asc, int ascq) {

    /** MEDIUM ERROR / UNRECOVERED READ ERROR (03/11/00): a block could not be read back intact. */
    public static final SenseCode UNRECOVERED_READ_ERROR = new SenseCode(0x03, 0x11, 0x00);
    /** MEDIUM ERROR / WRITE ERROR (03/0C/00): the medium refused a write. */
    public static final SenseCode WRITE_ERROR = new SenseCode(0x03, 0x0C, 0x00);
    /** HARDWARE ERROR / INTERNAL TARGET FAILURE (04/44/00): metadata or another internal part failed. */
    public static final SenseCode INTERNAL_TARGET_FAILURE = new SenseCode(0x04, 0x44, 0x00);
    /** ILLEGAL REQUEST / LOGICAL BLOCK ADDRESS OUT OF RANGE (05/21/00). */
    public static final SenseCode LBA_OUT_OF_RANGE = new SenseCode(0x05, 0x21, 0x00);
    /** ILLEGAL REQUEST / INVALID FIELD IN CDB (05/24/00). */
    public static final SenseCode INVALID_FIELD_IN_CDB = new SenseCode(0x05, 0x24, 0x00);
    /** DATA PROTECT / WRITE PROTECTED (07/27/00): the volume is read-only. */
    public static final SenseCode WRITE_PROTECTED = new SenseCode(0x07, 0x27, 0x00);
    /** DATA PROTECT / SPACE ALLOCATION FAILED WRITE PROTECT (07/27/07): the pool is full. */
    public static final SenseCode SPACE_ALLOCATION_FAILED = new SenseCode(0x07, 0x27, 0x07);
    /** MISCOMPARE / MISCOMPARE DURING VERIFY OPERATION (0E/1D/00). */
    public static final SenseCode MISCOMPARE = new SenseCode(0x0E, 0x1D, 0x00);
    /** ABORTED COMMAND / LOGICAL UNIT COMMUNICATION FAILURE (0B/08/00): a remote leg or disk is unreachable. */
    public static final SenseCode COMMUNICATION_FAILURE = new SenseCode(0x0B, 0x08, 0x00);
    /** NOT READY / LOGICAL UNIT NOT READY, CAUSE NOT REPORTABLE (02/04/00): the volume is offline. */
    public static final SenseCode NOT_READY = new SenseCode(0x02, 0x04, 0x00);

    public SenseCode {
        if (senseKey < 0 || senseKey > 0x0F) {
            throw new IllegalArgumentException("senseKey must be 0..15: " + senseKey);
        }
        if (asc < 0 || asc > 0xFF || ascq < 0 || ascq > 0xFF) {
            throw new IllegalArgumentException("asc/ascq must be 0..255: " + asc + "/" + ascq);
        }
    }

    @Override
    public String toString() {
        return String.format("%X/%02X/%02X", senseKey, asc, ascq);
    }
}
