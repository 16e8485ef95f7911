package dev.quarry.iscsi.scsi;

import io.netty.buffer.ByteBuf;
import java.util.Objects;

/**
 * A SCSI command as the transport hands it to the SCSI layer, with all of its Data-Out already
 * received.
 *
 * <p>Owns {@code dataOut}: whoever receives the command releases it (see
 * {@link NexusPort#execute}).
 *
 * @param lun the 64-bit LUN field exactly as carried on the wire (SAM-5 §4.6)
 * @param taskTag the initiator task tag, unique among this nexus' outstanding tasks
 * @param attribute the task attribute
 * @param cdb the command descriptor block (at least 6 bytes; extended CDBs arrive whole)
 * @param expectedDataTransferLength the transport's expected data transfer length (EDTL)
 * @param dataOut the Data-Out bytes received, exactly {@code expectedDataTransferLength} long for
 *     a write; {@code null} when the command carries no data
 */
public record ScsiCommand(long lun, long taskTag, TaskAttribute attribute, byte[] cdb,
                          int expectedDataTransferLength, ByteBuf dataOut) {

    public ScsiCommand {
        Objects.requireNonNull(attribute, "attribute");
        Objects.requireNonNull(cdb, "cdb");
        if (expectedDataTransferLength < 0) {
            throw new IllegalArgumentException("expectedDataTransferLength < 0");
        }
    }

    /** The operation code, byte 0 of the CDB. */
    public int operationCode() {
        return cdb.length == 0 ? -1 : cdb[0] & 0xFF;
    }
}
