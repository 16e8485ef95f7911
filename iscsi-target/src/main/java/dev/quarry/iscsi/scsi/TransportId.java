package dev.quarry.iscsi.scsi;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * An iSCSI TransportID (SPC-4 §7.6.4.6): an initiator device by iSCSI name (format 00b) or one
 * initiator port by name and ISID (format 01b, {@code name,i,0xISID}).
 *
 * <pre>
 *  0      FORMAT CODE (7..6) | PROTOCOL IDENTIFIER 5h (3..0)
 *  2..3   ADDITIONAL LENGTH (multiple of 4, at least 20)
 *  4..    NUL-terminated name, padded with NULs
 * </pre>
 *
 * <p>Immutable and thread-safe.
 *
 * @param initiatorName the iSCSI name
 * @param isid the ISID, or {@link Registration#ANY_ISID} for format 00b
 */
record TransportId(String initiatorName, long isid) {

    static final int ISCSI_PROTOCOL = 0x5;
    private static final String PORT_SEPARATOR = ",i,0x";

    /** The TransportID of {@code registration}'s initiator port (or device, when it covers every ISID). */
    static TransportId of(Registration registration) {
        return new TransportId(registration.initiatorName(), registration.isid());
    }

    /**
     * Decodes the TransportID at {@code offset} of {@code data} (a parameter list; errors point
     * into it) and returns it with its total length.
     */
    static Decoded decode(byte[] data, int offset, int limit) {
        if (offset + 4 > limit) {
            throw ScsiCommandException.parameterListLengthError();
        }
        int format = (data[offset] & 0xC0) >>> 6;
        if ((data[offset] & 0x0F) != ISCSI_PROTOCOL || format > 1) {
            throw ScsiCommandException.invalidFieldInParameterList(offset, 7);
        }
        int length = Cdb.u16(data, offset + 2);
        if (length < 4 || offset + 4 + length > limit) {
            throw ScsiCommandException.invalidFieldInParameterList(offset + 2, 7);
        }
        int end = offset + 4;
        while (end < offset + 4 + length && data[end] != 0) {
            end++;
        }
        String text = new String(data, offset + 4, end - offset - 4, StandardCharsets.UTF_8);
        TransportId id = format == 0 ? new TransportId(text, Registration.ANY_ISID) : port(text, offset);
        if (id.initiatorName.isEmpty()) {
            throw ScsiCommandException.invalidFieldInParameterList(offset + 4, 7);
        }
        return new Decoded(id, 4 + length);
    }

    /** A decoded TransportID and how many bytes it took. */
    record Decoded(TransportId id, int length) {
    }

    /** The encoded TransportID, padded to a multiple of four bytes. */
    byte[] encode() {
        String text = isid == Registration.ANY_ISID ? initiatorName
                : initiatorName + PORT_SEPARATOR + String.format(Locale.ROOT, "%012x", isid);
        byte[] name = text.getBytes(StandardCharsets.UTF_8);
        int additional = Math.max(20, (name.length + 1 + 3) & ~3);
        byte[] out = new byte[4 + additional];
        out[0] = (byte) ((isid == Registration.ANY_ISID ? 0x00 : 0x40) | ISCSI_PROTOCOL);
        out[2] = (byte) (additional >>> 8);
        out[3] = (byte) additional;
        System.arraycopy(name, 0, out, 4, name.length);
        return out;
    }

    private static TransportId port(String text, int offset) {
        int at = text.toLowerCase(Locale.ROOT).lastIndexOf(PORT_SEPARATOR);
        if (at < 0) {
            throw ScsiCommandException.invalidFieldInParameterList(offset + 4, 7);
        }
        String hex = text.substring(at + PORT_SEPARATOR.length());
        try {
            long isid = Long.parseUnsignedLong(hex, 16);
            if (hex.isEmpty() || hex.length() > 12) {
                throw ScsiCommandException.invalidFieldInParameterList(offset + 4, 7);
            }
            return new TransportId(text.substring(0, at), isid);
        } catch (NumberFormatException e) {
            throw ScsiCommandException.invalidFieldInParameterList(offset + 4, 7);
        }
    }
}
