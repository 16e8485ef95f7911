package dev.quarry.iscsi.scsi;

import java.util.Objects;

/**
 * Sense data (SPC-4 §4.5): sense key, additional sense code and qualifier, the INFORMATION field
 * and the sense-key-specific field, encoded in fixed (70h) or descriptor (72h) format as the
 * control mode page's D_SENSE bit asks.
 *
 * <pre>
 * fixed format (18 bytes)                      descriptor format (8 + descriptors)
 *  0  VALID | 70h                                0  72h
 *  2  SENSE KEY                                  1  SENSE KEY
 *  3..6  INFORMATION (low 32 bits)               2  ASC        3  ASCQ
 *  7  ADDITIONAL SENSE LENGTH (10)               7  ADDITIONAL SENSE LENGTH
 *  12 ASC   13 ASCQ                              8..  information descriptor (00h, 12 bytes)
 *  15..17 SKSV | SENSE KEY SPECIFIC                   sense key specific descriptor (02h, 8 bytes)
 * </pre>
 *
 * <p>Immutable and thread-safe.
 *
 * @param senseKey the sense key
 * @param asc the additional sense code
 * @param ascq the additional sense code qualifier
 * @param information the INFORMATION field, meaningful only when {@code informationValid}
 * @param informationValid whether INFORMATION is reported
 * @param senseKeySpecific the three SENSE KEY SPECIFIC bytes with SKSV set, or -1 when absent
 */
public record SenseData(SenseKey senseKey, int asc, int ascq, long information, boolean informationValid,
                        int senseKeySpecific) {

    /** Length of fixed-format sense data. */
    public static final int FIXED_LENGTH = 18;

    private static final int SKSV = 0x80_0000;

    public SenseData {
        Objects.requireNonNull(senseKey, "senseKey");
        if (asc < 0 || asc > 0xFF || ascq < 0 || ascq > 0xFF) {
            throw new IllegalArgumentException("asc/ascq must be 0..255");
        }
        if (senseKeySpecific != -1 && (senseKeySpecific & ~0xFF_FFFF) != 0) {
            throw new IllegalArgumentException("sense key specific must fit 24 bits");
        }
    }

    /** Sense data without INFORMATION or sense-key-specific fields. */
    public static SenseData of(SenseKey senseKey, AscAscq code) {
        return new SenseData(senseKey, code.asc(), code.ascq(), 0, false, -1);
    }

    /** This sense data with the INFORMATION field set. */
    public SenseData withInformation(long value) {
        return new SenseData(senseKey, asc, ascq, value, true, senseKeySpecific);
    }

    /**
     * This sense data with a FIELD POINTER (SPC-4 §4.5.2.4.2): the byte and bit of the CDB
     * ({@code inCdb}) or parameter list that is in error; {@code bit} -1 when no bit is named.
     */
    public SenseData withFieldPointer(boolean inCdb, int byteIndex, int bit) {
        int value = SKSV | (inCdb ? 0x40_0000 : 0) | (byteIndex & 0xFFFF);
        if (bit >= 0) {
            value |= 0x08_0000 | (bit & 0x7) << 16;
        }
        return new SenseData(senseKey, asc, ascq, information, informationValid, value);
    }

    /** This sense data with a PROGRESS INDICATION (SPC-4 §4.5.2.4.4), {@code progress} of 65536. */
    public SenseData withProgress(int progress) {
        return new SenseData(senseKey, asc, ascq, information, informationValid, SKSV | (progress & 0xFFFF));
    }

    /** Whether the ASC and ASCQ are {@code code}. */
    public boolean is(AscAscq code) {
        return asc == code.asc() && ascq == code.ascq();
    }

    /** The encoded sense data, descriptor format when {@code descriptorFormat}, otherwise fixed format. */
    public byte[] encode(boolean descriptorFormat) {
        return descriptorFormat ? descriptor() : fixed();
    }

    private byte[] fixed() {
        byte[] out = new byte[FIXED_LENGTH];
        boolean valid = informationValid && (information & ~0xFFFF_FFFFL) == 0;
        out[0] = (byte) (0x70 | (valid ? 0x80 : 0));
        out[2] = (byte) senseKey.code();
        if (valid) {
            putInt(out, 3, (int) information);
        }
        out[7] = (byte) (FIXED_LENGTH - 8);
        out[12] = (byte) asc;
        out[13] = (byte) ascq;
        if (senseKeySpecific != -1) {
            out[15] = (byte) (senseKeySpecific >>> 16);
            out[16] = (byte) (senseKeySpecific >>> 8);
            out[17] = (byte) senseKeySpecific;
        }
        return out;
    }

    private byte[] descriptor() {
        int length = 8 + (informationValid ? 12 : 0) + (senseKeySpecific != -1 ? 8 : 0);
        byte[] out = new byte[length];
        out[0] = 0x72;
        out[1] = (byte) senseKey.code();
        out[2] = (byte) asc;
        out[3] = (byte) ascq;
        out[7] = (byte) (length - 8);
        int at = 8;
        if (informationValid) {
            out[at] = 0x00;
            out[at + 1] = 0x0A;
            out[at + 2] = (byte) 0x80;
            putInt(out, at + 4, (int) (information >>> 32));
            putInt(out, at + 8, (int) information);
            at += 12;
        }
        if (senseKeySpecific != -1) {
            out[at] = 0x02;
            out[at + 1] = 0x06;
            out[at + 4] = (byte) (senseKeySpecific >>> 16);
            out[at + 5] = (byte) (senseKeySpecific >>> 8);
            out[at + 6] = (byte) senseKeySpecific;
        }
        return out;
    }

    private static void putInt(byte[] out, int at, int value) {
        out[at] = (byte) (value >>> 24);
        out[at + 1] = (byte) (value >>> 16);
        out[at + 2] = (byte) (value >>> 8);
        out[at + 3] = (byte) value;
    }
}
