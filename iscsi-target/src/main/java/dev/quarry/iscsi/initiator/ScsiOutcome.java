package dev.quarry.iscsi.initiator;

import dev.quarry.iscsi.scsi.ScsiStatus;
import dev.quarry.iscsi.scsi.SenseData;
import io.netty.buffer.ByteBuf;

/**
 * What a target answered to one SCSI command: the iSCSI Response field, the SCSI status, the
 * decoded sense (or {@code null}), the Data-In (for reads) and the residual (RFC 7143 §11.4.5).
 *
 * <p>Owns {@code data}: whoever takes the outcome releases it (through {@link #release()} or by
 * taking the buffer). Not thread-safe; passed with its ownership.
 *
 * @param response 0 when the command completed at the target, otherwise a target failure
 * @param status the SCSI status byte
 * @param sense the sense data of a CHECK CONDITION, or {@code null}
 * @param data the Data-In received, trimmed to what the target sent; {@code null} for commands
 *     that read nothing
 * @param overflow the O bit: the target had more data than the Expected Data Transfer Length
 * @param underflow the U bit: the target moved less than the Expected Data Transfer Length
 * @param residual the residual count in bytes
 */
record ScsiOutcome(int response, int status, SenseData sense, ByteBuf data, boolean overflow, boolean underflow,
                   int residual) {

    /** Whether the command succeeded: completed at the target with GOOD or CONDITION MET. */
    boolean good() {
        return response == 0 && (status == ScsiStatus.GOOD.code() || status == ScsiStatus.CONDITION_MET.code());
    }

    /** Releases the Data-In, if any. */
    void release() {
        if (data != null && data.refCnt() > 0) {
            data.release();
        }
    }

    /** A one-line description for logs and exception messages: status and sense, never data. */
    String describe() {
        StringBuilder text = new StringBuilder();
        if (response != 0) {
            text.append("iSCSI response 0x").append(Integer.toHexString(response));
        } else {
            text.append("status 0x").append(Integer.toHexString(status));
        }
        if (sense != null) {
            text.append(String.format(" sense %X/%02X/%02X", sense.senseKey().code(), sense.asc(), sense.ascq()));
            String name = name(sense.asc(), sense.ascq());
            if (name != null) {
                text.append(" (").append(name).append(')');
            }
        }
        return text.toString();
    }

    /** The name of the additional sense codes an operator meets most when a remote LUN fails. */
    private static String name(int asc, int ascq) {
        return switch (asc << 8 | ascq) {
            case 0x0401 -> "logical unit is becoming ready";
            case 0x0C00 -> "write error";
            case 0x1100 -> "unrecovered read error";
            case 0x2000 -> "invalid command operation code";
            case 0x2100 -> "logical block address out of range";
            case 0x2400 -> "invalid field in CDB";
            case 0x2500 -> "logical unit not supported";
            case 0x2700 -> "write protected";
            case 0x2707 -> "space allocation failed";
            case 0x2A09 -> "capacity data has changed";
            case 0x4400 -> "internal target failure";
            default -> null;
        };
    }
}
