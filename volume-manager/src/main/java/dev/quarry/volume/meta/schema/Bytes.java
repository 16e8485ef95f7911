package dev.quarry.volume.meta.schema;

/**
 * Big-endian fixed-width integer access on byte arrays for keys and values, and the checks that
 * every value starts with the format-version byte its codec knows.
 *
 * <p>Stateless and thread-safe.
 */
public final class Bytes {

    private Bytes() {
    }

    public static void putU16(byte[] b, int at, int v) {
        b[at] = (byte) (v >>> 8);
        b[at + 1] = (byte) v;
    }

    public static int u16(byte[] b, int at) {
        return ((b[at] & 0xFF) << 8) | (b[at + 1] & 0xFF);
    }

    public static void putU32(byte[] b, int at, int v) {
        b[at] = (byte) (v >>> 24);
        b[at + 1] = (byte) (v >>> 16);
        b[at + 2] = (byte) (v >>> 8);
        b[at + 3] = (byte) v;
    }

    public static int u32(byte[] b, int at) {
        return ((b[at] & 0xFF) << 24) | ((b[at + 1] & 0xFF) << 16) | ((b[at + 2] & 0xFF) << 8) | (b[at + 3] & 0xFF);
    }

    public static void putU64(byte[] b, int at, long v) {
        putU32(b, at, (int) (v >>> 32));
        putU32(b, at + 4, (int) v);
    }

    public static long u64(byte[] b, int at) {
        return ((long) u32(b, at) << 32) | (u32(b, at + 4) & 0xFFFF_FFFFL);
    }

    /** Checks the length and the leading format-version byte of a value. */
    public static void expect(byte[] value, int version, int length, String what) {
        if (value == null || value.length < 1 || (value[0] & 0xFF) != version) {
            throw new IllegalArgumentException(what + ": unknown format version "
                    + (value == null || value.length == 0 ? "none" : Integer.toString(value[0] & 0xFF)));
        }
        if (length >= 0 && value.length != length) {
            throw new IllegalArgumentException(what + ": expected " + length + " bytes, found " + value.length);
        }
    }

    /** Checks the length of a key. */
    public static void expectKey(byte[] key, int length, String what) {
        if (key == null || key.length != length) {
            throw new IllegalArgumentException(what + " key must be " + length + " bytes");
        }
    }
}
