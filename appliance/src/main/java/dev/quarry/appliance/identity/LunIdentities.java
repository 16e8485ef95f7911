package dev.quarry.appliance.identity;

import dev.quarry.iscsi.scsi.LogicalUnitIdentity;
import java.nio.ByteBuffer;
import java.util.Locale;
import java.util.UUID;

/**
 * Derives a LUN's SCSI identity from its volume's UUID, so that the identity hosts see (the
 * NAA-6 designator in VPD page 83h, the serial number in VPD page 80h) stays the same forever:
 * multipath stacks and VMware datastores key on it.
 *
 * <p>Quarry holds no IEEE registration, so the NAA's company id is a CID (a 24-bit value with the
 * local bit set, {@code 0x0A5152}), which cannot collide with a registered OUI. The remaining
 * 100 bits come from the UUID.
 */
public final class LunIdentities {

    /** The company id in every Quarry NAA designator: CID format (X bit set). */
    public static final int COMPANY_ID = 0x0A5152;
    /** VPD 83h / standard INQUIRY product identification. */
    public static final String PRODUCT_ID = "VIRTUAL DISK";
    /** Standard INQUIRY product revision level. */
    public static final String PRODUCT_REVISION = "0100";

    private LunIdentities() {
    }

    /** The identity of the LUN that exports the volume {@code volumeId}. */
    public static LogicalUnitIdentity of(UUID volumeId) {
        return LogicalUnitIdentity.quarry(naa(volumeId), PRODUCT_ID, PRODUCT_REVISION, serial(volumeId));
    }

    /**
     * The NAA IEEE Registered Extended designator (SPC-4 §7.8.6.6.5):
     * <pre>
     *  byte 0      1      2      3      4 ...  7   8 ... 15
     * +------+------+------+------+-------------+-----------+
     * | 6h|company id (24 bits)|vendor specific|  vendor   |
     * |   |                    | id (36 bits)  | extension |
     * +------+------+------+------+-------------+-----------+
     * </pre>
     */
    static byte[] naa(UUID volumeId) {
        long high = 0x6L << 60 | (long) COMPANY_ID << 36 | volumeId.getMostSignificantBits() >>> 28;
        return ByteBuffer.allocate(16).putLong(high).putLong(volumeId.getLeastSignificantBits()).array();
    }

    /** The unit serial number: the UUID's 32 hex digits, upper case. */
    static String serial(UUID volumeId) {
        return volumeId.toString().replace("-", "").toUpperCase(Locale.ROOT);
    }
}
