package dev.quarry.iscsi.scsi;

/**
 * The 4-bit SENSE KEY (SPC-4 §4.5.6, table 27).
 *
 * <p>Immutable and thread-safe.
 */
public enum SenseKey {
    NO_SENSE(0x0),
    RECOVERED_ERROR(0x1),
    NOT_READY(0x2),
    MEDIUM_ERROR(0x3),
    HARDWARE_ERROR(0x4),
    ILLEGAL_REQUEST(0x5),
    UNIT_ATTENTION(0x6),
    DATA_PROTECT(0x7),
    BLANK_CHECK(0x8),
    VENDOR_SPECIFIC(0x9),
    COPY_ABORTED(0xA),
    ABORTED_COMMAND(0xB),
    RESERVED_C(0xC),
    VOLUME_OVERFLOW(0xD),
    MISCOMPARE(0xE),
    COMPLETED(0xF);

    private static final SenseKey[] BY_CODE = values();

    private final int code;

    SenseKey(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    /** The sense key with the given 4-bit code. */
    public static SenseKey of(int code) {
        if (code < 0 || code > 0x0F || BY_CODE[code].code != code) {
            throw new IllegalArgumentException("sense key must be 0..15: " + code);
        }
        return BY_CODE[code];
    }
}
