package dev.quarry.iscsi.scsi;

/**
 * Big-endian writes into the {@code byte[]} parameter data that control commands return
 * (INQUIRY, MODE SENSE, REPORT LUNS, PERSISTENT RESERVE IN and the like).
 *
 * <p>Stateless; thread-safe.
 */
final class Bytes {

    private Bytes() {
    }

    static void putShort(byte[] out, int at, int value) {
        out[at] = (byte) (value >>> 8);
        out[at + 1] = (byte) value;
    }

    static void putInt(byte[] out, int at, int value) {
        out[at] = (byte) (value >>> 24);
        out[at + 1] = (byte) (value >>> 16);
        out[at + 2] = (byte) (value >>> 8);
        out[at + 3] = (byte) value;
    }

    static void putLong(byte[] out, int at, long value) {
        putInt(out, at, (int) (value >>> 32));
        putInt(out, at + 4, (int) value);
    }
}
