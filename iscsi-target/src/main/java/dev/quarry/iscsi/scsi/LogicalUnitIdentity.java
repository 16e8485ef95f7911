package dev.quarry.iscsi.scsi;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * The identity a logical unit reports forever (standard INQUIRY, VPD pages 80h and 83h): its
 * NAA IEEE Registered Extended designator (NAA 6h, 16 bytes), T10 vendor identification, product
 * identification, product revision level and unit serial number. The caller chooses and persists
 * them; hypervisors key datastores and multipath devices on them.
 *
 * <p>Immutable and thread-safe.
 *
 * @param naa the 16-byte NAA designator, first nibble 6h
 * @param vendorId the T10 vendor identification, at most 8 printable ASCII characters
 * @param productId the product identification, at most 16 printable ASCII characters
 * @param productRevision the product revision level, at most 4 printable ASCII characters
 * @param serialNumber the unit serial number, 1 to 252 printable ASCII characters
 */
public record LogicalUnitIdentity(byte[] naa, String vendorId, String productId, String productRevision,
                                  String serialNumber) {

    /** Quarry's T10 vendor identification. */
    public static final String QUARRY = "QUARRY";

    public LogicalUnitIdentity {
        Objects.requireNonNull(naa, "naa");
        if (naa.length != 16 || (naa[0] & 0xF0) != 0x60) {
            throw new IllegalArgumentException("naa must be a 16-byte NAA 6h designator");
        }
        naa = naa.clone();
        checkAscii(vendorId, "vendorId", 8);
        checkAscii(productId, "productId", 16);
        checkAscii(productRevision, "productRevision", 4);
        checkAscii(serialNumber, "serialNumber", 252);
        if (serialNumber.isEmpty()) {
            throw new IllegalArgumentException("serialNumber must not be empty");
        }
    }

    /** An identity with vendor {@link #QUARRY}. */
    public static LogicalUnitIdentity quarry(byte[] naa, String productId, String productRevision, String serialNumber) {
        return new LogicalUnitIdentity(naa, QUARRY, productId, productRevision, serialNumber);
    }

    @Override
    public byte[] naa() {
        return naa.clone();
    }

    /** Whether {@code designator} is this unit's NAA designator. */
    boolean hasNaa(byte[] designator) {
        return Arrays.equals(naa, designator);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof LogicalUnitIdentity that && Arrays.equals(naa, that.naa)
                && vendorId.equals(that.vendorId) && productId.equals(that.productId)
                && productRevision.equals(that.productRevision) && serialNumber.equals(that.serialNumber);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(naa) * 31 + serialNumber.hashCode();
    }

    @Override
    public String toString() {
        return "LogicalUnitIdentity[naa=" + java.util.HexFormat.of().formatHex(naa) + ", vendorId=" + vendorId
                + ", productId=" + productId + ", productRevision=" + productRevision + ", serialNumber=" + serialNumber + "]";
    }

    /** {@code value} padded with spaces to {@code width} bytes, as INQUIRY fields are. */
    static byte[] padded(String value, int width) {
        byte[] out = new byte[width];
        Arrays.fill(out, (byte) ' ');
        byte[] text = value.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(text, 0, out, 0, text.length);
        return out;
    }

    private static void checkAscii(String value, String name, int max) {
        Objects.requireNonNull(value, name);
        if (value.length() > max || !value.chars().allMatch(c -> c >= 0x20 && c <= 0x7E)) {
            throw new IllegalArgumentException(name + " must be at most " + max + " printable ASCII characters: " + value);
        }
    }
}
