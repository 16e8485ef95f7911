package dev.quarry.iscsi.initiator;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * Who a remote LUN is, from its standard INQUIRY data and VPD pages 80h and 83h: T10 vendor,
 * product and revision, unit serial number, and the NAA designator of the logical unit (SPC-4
 * §7.8.6.6), the identity multipath stacks key on. A reconnected session checks it is talking to
 * the same LUN with {@link #sameLun}.
 *
 * <p>Immutable and thread-safe.
 *
 * @param vendorId the T10 vendor identification, trimmed
 * @param productId the product identification, trimmed
 * @param productRevision the product revision level, trimmed
 * @param serialNumber the unit serial number (VPD 80h), trimmed; empty when not reported
 * @param naa the NAA designator of the logical unit (8 or 16 bytes), or {@code null} when none
 */
public record RemoteLunIdentity(String vendorId, String productId, String productRevision, String serialNumber,
                                byte[] naa) {

    public RemoteLunIdentity {
        Objects.requireNonNull(vendorId, "vendorId");
        Objects.requireNonNull(productId, "productId");
        Objects.requireNonNull(productRevision, "productRevision");
        Objects.requireNonNull(serialNumber, "serialNumber");
        naa = naa == null ? null : naa.clone();
    }

    @Override
    public byte[] naa() {
        return naa == null ? null : naa.clone();
    }

    /**
     * Whether {@code other} names the same logical unit: equal NAA designators when both have
     * one, otherwise equal vendor, product and serial number.
     */
    public boolean sameLun(RemoteLunIdentity other) {
        if (naa != null && other.naa != null) {
            return Arrays.equals(naa, other.naa);
        }
        return vendorId.equals(other.vendorId) && productId.equals(other.productId)
                && serialNumber.equals(other.serialNumber);
    }

    /** The NAA designator in hex, or the serial number when there is none. */
    public String deviceId() {
        return naa != null ? "naa." + HexFormat.of().formatHex(naa) : vendorId + ":" + productId + ":" + serialNumber;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RemoteLunIdentity r && vendorId.equals(r.vendorId) && productId.equals(r.productId)
                && productRevision.equals(r.productRevision) && serialNumber.equals(r.serialNumber)
                && Arrays.equals(naa, r.naa);
    }

    @Override
    public int hashCode() {
        return Objects.hash(vendorId, productId, serialNumber) * 31 + Arrays.hashCode(naa);
    }

    @Override
    public String toString() {
        return "RemoteLunIdentity[" + deviceId() + ", " + vendorId + " " + productId + " " + productRevision
                + ", serial " + serialNumber + "]";
    }
}
