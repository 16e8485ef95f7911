package dev.quarry.iscsi.codec;

import dev.quarry.iscsi.pdu.Bhs;
import dev.quarry.iscsi.pdu.InitiatorPdu;
import dev.quarry.iscsi.pdu.RejectReason;
import java.util.Arrays;
import java.util.Objects;

/**
 * What the decoders emit instead of a PDU when a frame cannot be used (STYLE B8: decoders report
 * errors as state, not exceptions). The connection handler answers it: a Reject carrying
 * {@link #header()} when {@link #reason()} is set, and a connection close when
 * {@link #closeConnection()} is set because framing is lost.
 *
 * <p>Immutable and thread-safe; holds no reference-counted buffer.
 *
 * @param reason the Reject reason to answer with, or {@code null} to send no Reject (framing lost)
 * @param header a copy of the offending BHS (48 bytes), the Reject's data segment
 * @param closeConnection whether the stream can no longer be framed
 * @param pdu for a data digest error: the PDU decoded from its sane header, with an empty data
 *     segment; {@code null} otherwise
 * @param dataSegmentLength the DataSegmentLength of the offending PDU
 * @param detail a description for the log
 */
public record PduDecodeError(RejectReason reason, byte[] header, boolean closeConnection, InitiatorPdu pdu,
                             int dataSegmentLength, String detail) {

    public PduDecodeError {
        header = header.clone();
        if (header.length != Bhs.LENGTH) {
            throw new IllegalArgumentException("header must be " + Bhs.LENGTH + " bytes: " + header.length);
        }
    }

    /** The stream cannot be framed any more: close without answering (e.g. header digest error). */
    static PduDecodeError framingLost(byte[] header, String detail) {
        return new PduDecodeError(null, header, true, null, 0, detail);
    }

    /** Answer with a Reject, then close (e.g. DataSegmentLength above the negotiated limit). */
    static PduDecodeError rejectAndClose(RejectReason reason, byte[] header, String detail) {
        return new PduDecodeError(reason, header, true, null, 0, detail);
    }

    /** Answer with a Reject and carry on with the next PDU. */
    static PduDecodeError reject(RejectReason reason, byte[] header, String detail) {
        return new PduDecodeError(reason, header, false, null, 0, detail);
    }

    /** A data digest error: Reject (reason 0x02) and let the session end the affected task. */
    static PduDecodeError dataDigest(byte[] header, InitiatorPdu pdu, int dataSegmentLength) {
        return new PduDecodeError(RejectReason.DATA_DIGEST_ERROR, header, false, pdu, dataSegmentLength,
                "data digest mismatch");
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PduDecodeError e && reason == e.reason && closeConnection == e.closeConnection
                && Arrays.equals(header, e.header) && Objects.equals(pdu, e.pdu)
                && dataSegmentLength == e.dataSegmentLength;
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(header) * 31 + (reason == null ? 0 : reason.hashCode());
    }

    @Override
    public String toString() {
        return "PduDecodeError[reason=" + reason + ", close=" + closeConnection + ", opcode=0x"
                + Integer.toHexString(header[0] & 0x3F) + ", detail=" + detail + "]";
    }
}
