package dev.quarry.iscsi.scsi;

import dev.quarry.block.Provisioning;
import dev.quarry.block.SanitizeMethod;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The vital product data pages (SPC-4 §7.8, SBC-3 §6.5) of a logical unit as seen through one
 * I_T nexus (the device identification page names the target port it came through).
 *
 * <pre>
 * 00h supported VPD pages       80h unit serial number        83h device identification
 * 86h extended INQUIRY data     8Fh third-party copy          B0h block limits
 * B1h block device characteristics                            B2h logical block provisioning (thin only)
 * </pre>
 *
 * <p>Stateless; thread-safe.
 */
final class VpdPages {

    static final int SUPPORTED_PAGES = 0x00;
    static final int UNIT_SERIAL_NUMBER = 0x80;
    static final int DEVICE_IDENTIFICATION = 0x83;
    static final int EXTENDED_INQUIRY = 0x86;
    static final int THIRD_PARTY_COPY = 0x8F;
    static final int BLOCK_LIMITS = 0xB0;
    static final int BLOCK_DEVICE_CHARACTERISTICS = 0xB1;
    static final int LOGICAL_BLOCK_PROVISIONING = 0xB2;

    private static final int ISCSI = 0x5;
    private static final int BINARY = 0x1;
    private static final int ASCII = 0x2;
    private static final int UTF8 = 0x3;
    private static final int PIV = 0x80;
    private static final int ASSOCIATION_LU = 0x00;
    private static final int ASSOCIATION_TARGET_PORT = 0x10;
    private static final int ASSOCIATION_TARGET_DEVICE = 0x20;

    private VpdPages() {
    }

    /** The page {@code code} for {@code binding}'s view of {@code unit}, or {@code null} when not supported. */
    static byte[] page(LogicalUnit unit, NexusBinding binding, int code) {
        return switch (code) {
            case SUPPORTED_PAGES -> supportedPages(unit);
            case UNIT_SERIAL_NUMBER -> serialNumber(unit);
            case DEVICE_IDENTIFICATION -> deviceIdentification(unit, binding.nexus());
            case EXTENDED_INQUIRY -> extendedInquiry(unit);
            case THIRD_PARTY_COPY -> thirdPartyCopy();
            case BLOCK_LIMITS -> blockLimits(unit);
            case BLOCK_DEVICE_CHARACTERISTICS -> blockDeviceCharacteristics(unit.limits());
            case LOGICAL_BLOCK_PROVISIONING -> unit.thin() ? logicalBlockProvisioning(unit) : null;
            default -> null;
        };
    }

    private static byte[] supportedPages(LogicalUnit unit) {
        List<Integer> codes = new ArrayList<>(List.of(SUPPORTED_PAGES, UNIT_SERIAL_NUMBER, DEVICE_IDENTIFICATION,
                EXTENDED_INQUIRY, THIRD_PARTY_COPY, BLOCK_LIMITS, BLOCK_DEVICE_CHARACTERISTICS));
        if (unit.thin()) {
            codes.add(LOGICAL_BLOCK_PROVISIONING);
        }
        byte[] page = header(SUPPORTED_PAGES, codes.size());
        for (int i = 0; i < codes.size(); i++) {
            page[4 + i] = codes.get(i).byteValue();
        }
        return page;
    }

    private static byte[] serialNumber(LogicalUnit unit) {
        byte[] serial = unit.identity().serialNumber().getBytes(StandardCharsets.US_ASCII);
        byte[] page = header(UNIT_SERIAL_NUMBER, serial.length);
        System.arraycopy(serial, 0, page, 4, serial.length);
        return page;
    }

    private static byte[] deviceIdentification(LogicalUnit unit, ItNexus nexus) {
        ByteArrayOutputStream designators = new ByteArrayOutputStream();
        LogicalUnitIdentity identity = unit.identity();
        designator(designators, BINARY, ASSOCIATION_LU | 0x3, identity.naa());
        byte[] t10 = new byte[8 + identity.serialNumber().length()];
        System.arraycopy(LogicalUnitIdentity.padded(identity.vendorId(), 8), 0, t10, 0, 8);
        System.arraycopy(identity.serialNumber().getBytes(StandardCharsets.US_ASCII), 0, t10, 8,
                identity.serialNumber().length());
        designator(designators, ASCII, ASSOCIATION_LU | 0x1, t10);
        byte[] port = new byte[4];
        Bytes.putShort(port, 2, nexus.relativeTargetPortId());
        designator(designators, ISCSI << 4 | BINARY, PIV | ASSOCIATION_TARGET_PORT | 0x4, port);
        byte[] group = new byte[4];
        Bytes.putShort(group, 2, nexus.targetPortalGroupTag());
        designator(designators, ISCSI << 4 | BINARY, PIV | ASSOCIATION_TARGET_PORT | 0x5, group);
        designator(designators, ISCSI << 4 | UTF8, PIV | ASSOCIATION_TARGET_PORT | 0x8, nameString(nexus.targetPortName()));
        designator(designators, ISCSI << 4 | UTF8, PIV | ASSOCIATION_TARGET_DEVICE | 0x8, nameString(nexus.targetName()));
        byte[] body = designators.toByteArray();
        byte[] page = longHeader(DEVICE_IDENTIFICATION, body.length);
        System.arraycopy(body, 0, page, 4, body.length);
        return page;
    }

    private static byte[] extendedInquiry(LogicalUnit unit) {
        byte[] page = longHeader(EXTENDED_INQUIRY, 0x3C);
        page[5] = 0x07;
        page[6] = (byte) (unit.volume().volatileWriteCache() ? 0x01 : 0x00);
        return page;
    }

    private static byte[] thirdPartyCopy() {
        ByteArrayOutputStream descriptors = new ByteArrayOutputStream();
        byte[] commands = {(byte) ScsiOpcode.EXTENDED_COPY.code(), 1, (byte) ServiceActions.EXTENDED_COPY_LID1,
            (byte) ScsiOpcode.RECEIVE_COPY_RESULTS.code(), 2, (byte) ServiceActions.COPY_STATUS,
            (byte) ServiceActions.OPERATING_PARAMETERS};
        byte[] supportedCommands = new byte[1 + commands.length];
        supportedCommands[0] = (byte) commands.length;
        System.arraycopy(commands, 0, supportedCommands, 1, commands.length);
        copyDescriptor(descriptors, 0x0001, supportedCommands);
        byte[] supportedDescriptors = {2, ExtendedCopyHandler.BLOCK_TO_BLOCK, (byte) ExtendedCopyHandler.IDENTIFICATION_DESCRIPTOR};
        copyDescriptor(descriptors, 0x0004, supportedDescriptors);
        byte[] parameters = new byte[28];
        Bytes.putShort(parameters, 4, ExtendedCopyHandler.MAX_TARGET_DESCRIPTORS);
        Bytes.putShort(parameters, 6, ExtendedCopyHandler.MAX_SEGMENT_DESCRIPTORS);
        Bytes.putInt(parameters, 8, ExtendedCopyHandler.MAX_DESCRIPTOR_LIST_LENGTH);
        copyDescriptor(descriptors, 0x0008, parameters);
        byte[] body = descriptors.toByteArray();
        byte[] page = longHeader(THIRD_PARTY_COPY, body.length);
        System.arraycopy(body, 0, page, 4, body.length);
        return page;
    }

    private static byte[] blockLimits(LogicalUnit unit) {
        DeviceLimits limits = unit.limits();
        byte[] page = longHeader(BLOCK_LIMITS, 0x3C);
        page[5] = (byte) limits.maxCompareAndWriteBlocks();
        Bytes.putShort(page, 6, limits.optimalGranularityBlocks());
        Bytes.putInt(page, 8, limits.maxTransferBlocks());
        Bytes.putInt(page, 12, limits.optimalTransferBlocks());
        Bytes.putInt(page, 16, limits.maxTransferBlocks());
        if (unit.thin()) {
            Bytes.putInt(page, 20, (int) limits.maxUnmapBlocks());
            Bytes.putInt(page, 24, limits.maxUnmapDescriptors());
            Bytes.putInt(page, 28, limits.unmapGranularity());
            Bytes.putInt(page, 32, 0x8000_0000);
        }
        Bytes.putLong(page, 36, limits.maxWriteSameBlocks());
        if (limits.atomic().supported()) {
            Bytes.putInt(page, 44, (int) limits.atomic().maxBlocks());
            Bytes.putInt(page, 48, (int) limits.atomic().alignment());
            Bytes.putInt(page, 52, (int) limits.atomic().granularity());
        }
        return page;
    }

    /**
     * Non-rotating medium; WABEREQ 01b (reads after a block erase succeed, returning zeroes) when
     * the volume offers BLOCK ERASE, WACEREQ 01b (likewise after a cryptographic erase) when it
     * offers CRYPTO ERASE.
     */
    private static byte[] blockDeviceCharacteristics(DeviceLimits limits) {
        byte[] page = longHeader(BLOCK_DEVICE_CHARACTERISTICS, 0x3C);
        Bytes.putShort(page, 4, 0x0001);
        int wabereq = limits.sanitizeMethods().contains(SanitizeMethod.BLOCK_ERASE) ? 0x40 : 0;
        int wacereq = limits.sanitizeMethods().contains(SanitizeMethod.CRYPTO_ERASE) ? 0x10 : 0;
        page[7] = (byte) (wabereq | wacereq);
        return page;
    }

    private static byte[] logicalBlockProvisioning(LogicalUnit unit) {
        Provisioning provisioning = unit.volume().provisioning();
        byte[] page = longHeader(LOGICAL_BLOCK_PROVISIONING, 4);
        page[5] = (byte) (0xE0 | (provisioning.unmappedReadsZero() ? 0x04 : 0));
        page[6] = 0x02;
        return page;
    }

    private static void designator(ByteArrayOutputStream out, int codeSet, int typeByte, byte[] value) {
        out.write(codeSet);
        out.write(typeByte);
        out.write(0);
        out.write(value.length);
        out.writeBytes(value);
    }

    private static void copyDescriptor(ByteArrayOutputStream out, int type, byte[] body) {
        int padded = (body.length + 3) & ~3;
        byte[] descriptor = new byte[4 + padded];
        Bytes.putShort(descriptor, 0, type);
        Bytes.putShort(descriptor, 2, padded);
        System.arraycopy(body, 0, descriptor, 4, body.length);
        out.writeBytes(descriptor);
    }

    /** A NUL-terminated UTF-8 SCSI name string padded to a multiple of four bytes (SPC-4 §7.8.6.11). */
    private static byte[] nameString(String name) {
        byte[] text = name.getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[(text.length + 1 + 3) & ~3];
        System.arraycopy(text, 0, out, 0, text.length);
        return out;
    }

    private static byte[] header(int code, int length) {
        byte[] page = new byte[4 + length];
        page[1] = (byte) code;
        page[3] = (byte) length;
        return page;
    }

    private static byte[] longHeader(int code, int length) {
        byte[] page = new byte[4 + length];
        page[1] = (byte) code;
        Bytes.putShort(page, 2, length);
        return page;
    }
}
