package dev.quarry.iscsi.pdu;

import io.netty.buffer.ByteBuf;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * SCSI Command (RFC 7143 §11.3), with an extended CDB from its AHS already appended to
 * {@code cdb} and the expected bidirectional read length from its AHS, if any.
 *
 * <p>Immutable fields; owns {@code data} (the immediate data), so it is reference counted and not
 * thread-safe: ownership passes with each call (see the {@code codec} package rules). {@code cdb} is copied on construction
 * and must not be modified through the accessor.
 *
 * @param attr the raw ATTR field (0..7); see {@code TaskAttribute.ofIscsiCode}
 * @param bidirectionalReadDataLength the Expected Bidirectional Read Data Length AHS, or -1 when
 *     absent
 */
public record ScsiCommandPdu(boolean immediate, boolean finalPdu, boolean read, boolean write, int attr, long lun,
                             int initiatorTaskTag, int expectedDataTransferLength, int cmdSn, int expStatSn,
                             byte[] cdb, long bidirectionalReadDataLength, ByteBuf data)
        implements InitiatorPdu, DataPdu {

    public ScsiCommandPdu {
        Objects.requireNonNull(data, "data");
        cdb = Objects.requireNonNull(cdb, "cdb").clone();
        if (cdb.length < Bhs.CDB_LENGTH) {
            throw new IllegalArgumentException("cdb shorter than 16 bytes: " + cdb.length);
        }
    }

    @Override
    public Opcode opcode() {
        return Opcode.SCSI_COMMAND;
    }

    /** The EDTL as an unsigned number. */
    public long expectedDataTransferLengthUnsigned() {
        return Integer.toUnsignedLong(expectedDataTransferLength);
    }

    @Override
    public ScsiCommandPdu replace(ByteBuf content) {
        return new ScsiCommandPdu(immediate, finalPdu, read, write, attr, lun, initiatorTaskTag,
                expectedDataTransferLength, cmdSn, expStatSn, cdb, bidirectionalReadDataLength, content);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ScsiCommandPdu p && immediate == p.immediate && finalPdu == p.finalPdu && read == p.read
                && write == p.write && attr == p.attr && lun == p.lun && initiatorTaskTag == p.initiatorTaskTag
                && expectedDataTransferLength == p.expectedDataTransferLength && cmdSn == p.cmdSn
                && expStatSn == p.expStatSn && Arrays.equals(cdb, p.cdb)
                && bidirectionalReadDataLength == p.bidirectionalReadDataLength && data.equals(p.data);
    }

    @Override
    public int hashCode() {
        return Objects.hash(initiatorTaskTag, cmdSn, lun, Arrays.hashCode(cdb));
    }

    @Override
    public String toString() {
        return "ScsiCommandPdu[itt=0x" + Integer.toHexString(initiatorTaskTag) + ", cmdSn=" + Integer.toUnsignedString(cmdSn)
                + ", lun=" + lun + ", immediate=" + immediate + ", final=" + finalPdu + ", read=" + read + ", write=" + write
                + ", attr=" + attr + ", edtl=" + expectedDataTransferLengthUnsigned() + ", cdb=" + HexFormat.of().formatHex(cdb)
                + ", dataLength=" + data.readableBytes() + "]";
    }
}
