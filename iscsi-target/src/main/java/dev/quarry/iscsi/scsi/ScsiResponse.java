package dev.quarry.iscsi.scsi;

import io.netty.buffer.ByteBuf;
import java.util.Objects;

/**
 * The outcome of a {@link ScsiCommand}: status, Data-In, sense, and what the transport needs for
 * residuals.
 *
 * <p>Owns {@code dataIn}: the transport sends it (up to the EDTL) and releases it.
 *
 * @param status the SCSI status
 * @param dataIn the Data-In the command produced, before truncation to the EDTL; {@code null}
 *     when none
 * @param sense the sense data (fixed or descriptor format, as the control mode page says) that
 *     accompanies CHECK CONDITION; {@code null} otherwise
 * @param dataOutLength for commands that take Data-Out, the number of bytes the CDB called for
 *     (the SCSI layer's transfer length), so that the transport can report a write residual
 * @param delivered {@code false} when the task was aborted by a task management function on
 *     behalf of another party and the transport must send no response at all (TAS=0, SAM-5 §7.2)
 */
public record ScsiResponse(ScsiStatus status, ByteBuf dataIn, byte[] sense, int dataOutLength, boolean delivered) {

    public ScsiResponse {
        Objects.requireNonNull(status, "status");
        if (status == ScsiStatus.CHECK_CONDITION && sense == null) {
            throw new IllegalArgumentException("CHECK CONDITION needs sense data");
        }
    }

    /** GOOD, with data to return. */
    public static ScsiResponse good(ByteBuf dataIn) {
        return new ScsiResponse(ScsiStatus.GOOD, dataIn, null, 0, true);
    }

    /** GOOD, for a command that took {@code dataOutLength} bytes of Data-Out. */
    public static ScsiResponse goodAfterDataOut(int dataOutLength) {
        return new ScsiResponse(ScsiStatus.GOOD, null, null, dataOutLength, true);
    }

    /** A task ended by a task management function and not to be answered (TAS=0). */
    public static ScsiResponse abortedSilently() {
        return new ScsiResponse(ScsiStatus.TASK_ABORTED, null, null, 0, false);
    }
}
