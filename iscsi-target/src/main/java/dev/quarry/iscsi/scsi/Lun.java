package dev.quarry.iscsi.scsi;

/**
 * Encoding of the 8-byte LUN field (SAM-5 §4.6): LUNs 0..255 use peripheral device addressing
 * ({@code 00 LL 00 00 00 00 00 00}), LUNs 256..16383 flat space addressing
 * ({@code 01LL LLLL LLLL LLLL ...}), as Linux, ESXi and Windows expect. Only single-level LUNs are
 * served.
 *
 * <p>Stateless; thread-safe.
 */
public final class Lun {

    /** The largest LUN this target can address (14-bit flat space). */
    public static final int MAX = 0x3FFF;

    private Lun() {
    }

    /** The wire form of {@code lun}. */
    public static long encode(int lun) {
        if (lun < 0 || lun > MAX) {
            throw new IllegalArgumentException("LUN must be 0.." + MAX + ": " + lun);
        }
        long firstLevel = lun < 256 ? lun : 0x4000 | lun;
        return firstLevel << 48;
    }

    /** The LUN the wire form names, or -1 when it is not a single-level LUN this target can serve. */
    public static int decode(long wire) {
        if ((wire & 0x0000_FFFF_FFFF_FFFFL) != 0) {
            return -1;
        }
        int firstLevel = (int) (wire >>> 48);
        return switch (firstLevel >>> 14) {
            case 0 -> (firstLevel & 0x3F00) == 0 ? firstLevel & 0xFF : -1;
            case 1 -> firstLevel & 0x3FFF;
            default -> -1;
        };
    }
}
