package dev.quarry.iscsi.initiator;

import dev.quarry.iscsi.pdu.Bhs;
import io.netty.buffer.ByteBuf;
import java.util.Arrays;
import java.util.Objects;

/**
 * One SCSI command as the session sends it: the CDB (padded to the 16 bytes of the BHS), the data
 * to write or the number of bytes to read, and whether it may run while the session verifies a
 * reconnected LUN ({@code control}). Bidirectional commands are not used.
 *
 * <p>{@code dataOut} is <em>borrowed</em>: the caller owns it and keeps it readable until the
 * command's future completes, because a command is sent again after a connection recovery.
 * Immutable otherwise; thread-safe to hand between threads with that rule.
 *
 * @param cdb the command descriptor block (at most 16 bytes; stored padded)
 * @param dataOut the data to write, or {@code null}
 * @param dataInLength the bytes expected back (0 for none)
 * @param control whether the command belongs to the session's own checks after a reconnect
 * @param label a short description for logs, e.g. {@code READ(16) lba=2048 blocks=8}
 */
record ScsiRequest(byte[] cdb, ByteBuf dataOut, int dataInLength, boolean control, String label) {

    ScsiRequest {
        Objects.requireNonNull(cdb, "cdb");
        Objects.requireNonNull(label, "label");
        if (cdb.length > Bhs.CDB_LENGTH) {
            throw new IllegalArgumentException("CDBs longer than 16 bytes are not used");
        }
        cdb = Arrays.copyOf(cdb, Bhs.CDB_LENGTH);
        if (dataInLength < 0 || dataInLength > 0 && dataOut != null) {
            throw new IllegalArgumentException("a command either reads or writes");
        }
    }

    /** A command that moves no data, or reads {@code dataInLength} bytes. */
    static ScsiRequest read(byte[] cdb, int dataInLength, String label) {
        return new ScsiRequest(cdb, null, dataInLength, false, label);
    }

    /** A command that writes {@code dataOut} (borrowed). */
    static ScsiRequest write(byte[] cdb, ByteBuf dataOut, String label) {
        return new ScsiRequest(cdb, dataOut, 0, false, label);
    }

    /** This request as a control command (see the class comment). */
    ScsiRequest asControl() {
        return new ScsiRequest(cdb, dataOut, dataInLength, true, label);
    }

    boolean writes() {
        return dataOut != null && dataOut.isReadable();
    }

    /** The Expected Data Transfer Length. */
    int expectedLength() {
        return writes() ? dataOut.readableBytes() : dataInLength;
    }

    /** Identity: a request is one command; comparing would read the borrowed buffer. */
    @Override
    public boolean equals(Object o) {
        return this == o;
    }

    @Override
    public int hashCode() {
        return System.identityHashCode(this);
    }

    @Override
    public String toString() {
        return label;
    }
}
