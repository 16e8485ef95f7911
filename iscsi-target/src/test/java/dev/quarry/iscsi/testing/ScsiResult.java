package dev.quarry.iscsi.testing;

/**
 * The outcome of one SCSI command run by the {@link TestInitiator}: status, sense (without the
 * SenseLength prefix), the Data-In received, residual flags and count, and how many Data-In PDUs
 * and R2Ts it took.
 *
 * <p>Immutable apart from the arrays, which callers must not change.
 */
public record ScsiResult(int status, byte[] sense, byte[] data, boolean overflow, boolean underflow, int residualCount,
                         int dataInPdus, int r2ts, boolean statusInDataIn) {

    /** Sense key of fixed-format sense data, or -1 without sense. */
    public int senseKey() {
        return sense == null || sense.length < 3 ? -1 : sense[2] & 0x0F;
    }

    /** Additional sense code and qualifier as {@code 0xAASS}, or -1 without sense. */
    public int ascAscq() {
        return sense == null || sense.length < 14 ? -1 : (sense[12] & 0xFF) << 8 | sense[13] & 0xFF;
    }
}
