package dev.quarry.iscsi.session;

/**
 * The few sense data the transport itself reports, in fixed format (SPC-4 §4.5.3), for tasks it
 * ends without the SCSI layer: Data-Out protocol errors and unsolicited data violations (RFC 7143
 * §11.4.7.2), digest errors, and failures of the SCSI layer's stage.
 *
 * <p>Immutable and thread-safe.
 */
public enum TransportSense {
    /** ILLEGAL REQUEST, UNEXPECTED UNSOLICITED DATA: Data-Out that InitialR2T or ImmediateData forbid. */
    UNEXPECTED_UNSOLICITED_DATA(0x05, 0x0C, 0x0C),
    /** ABORTED COMMAND, NOT ENOUGH UNSOLICITED DATA: unsolicited data beyond FirstBurstLength or EDTL. */
    INCORRECT_UNSOLICITED_DATA(0x0B, 0x0C, 0x0D),
    /** ABORTED COMMAND, PROTOCOL SERVICE CRC ERROR: a data digest failed. */
    PROTOCOL_SERVICE_CRC_ERROR(0x0B, 0x47, 0x05),
    /** ABORTED COMMAND, DATA PHASE ERROR: Data-Out out of sequence (DataSN, offset, F bit). */
    DATA_PHASE_ERROR(0x0B, 0x4B, 0x00),
    /** ABORTED COMMAND, INVALID TARGET PORT TRANSFER TAG RECEIVED. */
    INVALID_TRANSFER_TAG(0x0B, 0x4B, 0x01),
    /** ABORTED COMMAND, TOO MUCH WRITE DATA: beyond the R2T or the EDTL. */
    TOO_MUCH_WRITE_DATA(0x0B, 0x4B, 0x02),
    /** ILLEGAL REQUEST, INVALID FIELD IN CDB: a transfer the transport cannot carry (too long, bidirectional). */
    INVALID_FIELD_IN_CDB(0x05, 0x24, 0x00),
    /** HARDWARE ERROR, INTERNAL TARGET FAILURE: the SCSI layer failed instead of answering. */
    INTERNAL_TARGET_FAILURE(0x04, 0x44, 0x00);

    private static final int FIXED_LENGTH = 18;

    private final int senseKey;
    private final int asc;
    private final int ascq;

    TransportSense(int senseKey, int asc, int ascq) {
        this.senseKey = senseKey;
        this.asc = asc;
        this.ascq = ascq;
    }

    /** Fixed-format sense data: response code 0x70, sense key, ASC and ASCQ. */
    public byte[] bytes() {
        byte[] sense = new byte[FIXED_LENGTH];
        sense[0] = 0x70;
        sense[2] = (byte) senseKey;
        sense[7] = FIXED_LENGTH - 8;
        sense[12] = (byte) asc;
        sense[13] = (byte) ascq;
        return sense;
    }

    public int senseKey() {
        return senseKey;
    }

    public int asc() {
        return asc;
    }

    public int ascq() {
        return ascq;
    }
}
