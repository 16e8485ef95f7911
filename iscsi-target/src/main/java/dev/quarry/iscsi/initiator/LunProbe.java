package dev.quarry.iscsi.initiator;

import dev.quarry.block.BlockIoException;
import dev.quarry.block.SenseCode;
import io.netty.buffer.ByteBuf;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Learns what a remote LUN is before it is used (SPC-4 §6.6, §7.8; SBC-3 §5.16, §6.5): TEST UNIT
 * READY (absorbing the unit attentions of a new nexus), the standard INQUIRY (it must be a
 * connected direct-access device), the supported VPD pages, the unit serial number (80h), the NAA
 * designator of the logical unit (83h), the block limits (B0h), logical block provisioning (B2h),
 * and READ CAPACITY(16), falling back to READ CAPACITY(10) when the target does not know it.
 *
 * <p>Thread-safe; futures complete on the session's event loop.
 */
final class LunProbe {

    /** The capacity READ CAPACITY reports. */
    record Capacity(long blocks, int blockSize, boolean provisioningEnabled) {
    }

    /** Everything the probe learned. */
    record Result(RemoteLunIdentity identity, Capacity capacity, RemoteLunLimits limits) {
    }

    private static final int SUPPORTED_PAGES = 0x00;
    private static final int UNIT_SERIAL_NUMBER = 0x80;
    private static final int DEVICE_IDENTIFICATION = 0x83;
    private static final int BLOCK_LIMITS = 0xB0;
    private static final int LOGICAL_BLOCK_PROVISIONING = 0xB2;
    private static final int VPD_ALLOCATION = 1024;
    private static final int STANDARD_INQUIRY_LENGTH = 96;
    private static final int DIRECT_ACCESS = 0x00;
    private static final int NAA = 0x3;

    private final CommandRunner runner;
    private final int maxTransferBytes;

    LunProbe(CommandRunner runner, int maxTransferBytes) {
        this.runner = runner;
        this.maxTransferBytes = maxTransferBytes;
    }

    /** The whole probe of a LUN being opened. */
    CompletableFuture<Result> run() {
        return command(ScsiRequest.read(Cdbs.testUnitReady(), 0, "TEST UNIT READY"), false)
                .thenCompose(ignored -> identity(false))
                .thenCompose(identity -> capacity(false).thenCompose(capacity -> supportedPages(false)
                        .thenCompose(pages -> blockLimits(pages, capacity.blockSize())
                                .thenCompose(limits -> provisioning(pages, limits, capacity))
                                .thenApply(limits -> new Result(identity, capacity, limits)))));
    }

    /** The LUN's identity: standard INQUIRY, then VPD 80h and 83h when supported. */
    CompletableFuture<RemoteLunIdentity> identity(boolean control) {
        return command(ScsiRequest.read(Cdbs.inquiry(-1, STANDARD_INQUIRY_LENGTH), STANDARD_INQUIRY_LENGTH,
                "INQUIRY"), control).thenCompose(standard -> {
                    String[] names = standardInquiry(standard);
                    return supportedPages(control).thenCompose(pages -> serialNumber(pages, control)
                            .thenCompose(serial -> naa(pages, control)
                                    .thenApply(naa -> new RemoteLunIdentity(names[0], names[1], names[2], serial, naa))));
                });
    }

    /** READ CAPACITY(16), or READ CAPACITY(10) when the target refuses the former. */
    CompletableFuture<Capacity> capacity(boolean control) {
        int length = 32;
        return command(ScsiRequest.read(Cdbs.readCapacity16(length), length, "READ CAPACITY(16)"), control)
                .thenApply(data -> {
                    if (data.length < 12) {
                        throw invalid("READ CAPACITY(16) returned " + data.length + " bytes");
                    }
                    long blocks = getLong(data, 0) + 1;
                    boolean provisioning = data.length > 14 && (data[14] & 0x80) != 0;
                    return new Capacity(blocks, checkBlockSize(getInt(data, 8)), provisioning);
                })
                .exceptionallyCompose(failure -> refusedByTarget(failure) ? capacity10(control)
                        : CompletableFuture.failedFuture(failure));
    }

    private CompletableFuture<Capacity> capacity10(boolean control) {
        return command(ScsiRequest.read(Cdbs.readCapacity10(), 8, "READ CAPACITY(10)"), control).thenApply(data -> {
            if (data.length < 8) {
                throw invalid("READ CAPACITY(10) returned " + data.length + " bytes");
            }
            long lastLba = Integer.toUnsignedLong(getInt(data, 0));
            return new Capacity(lastLba + 1, checkBlockSize(getInt(data, 4)), false);
        });
    }

    private CompletableFuture<Set<Integer>> supportedPages(boolean control) {
        return vpd(SUPPORTED_PAGES, control).thenApply(page -> {
            Set<Integer> pages = new HashSet<>();
            for (int i = 4; i < page.length; i++) {
                pages.add(page[i] & 0xFF);
            }
            return pages;
        });
    }

    private CompletableFuture<String> serialNumber(Set<Integer> pages, boolean control) {
        if (!pages.contains(UNIT_SERIAL_NUMBER)) {
            return CompletableFuture.completedFuture("");
        }
        return vpd(UNIT_SERIAL_NUMBER, control).thenApply(page -> ascii(page, 4, page.length - 4));
    }

    private CompletableFuture<byte[]> naa(Set<Integer> pages, boolean control) {
        if (!pages.contains(DEVICE_IDENTIFICATION)) {
            return CompletableFuture.completedFuture(null);
        }
        return vpd(DEVICE_IDENTIFICATION, control).thenApply(LunProbe::logicalUnitNaa);
    }

    /** The longest NAA designator associated with the logical unit (NAA 6h before 5h/3h/2h). */
    static byte[] logicalUnitNaa(byte[] page) {
        byte[] best = null;
        int at = 4;
        while (at + 4 <= page.length) {
            int association = (page[at + 1] >> 4) & 0x3;
            int type = page[at + 1] & 0x0F;
            int length = page[at + 3] & 0xFF;
            if (at + 4 + length > page.length) {
                break;
            }
            if (association == 0 && type == NAA && (length == 8 || length == 16) && (best == null || length > best.length)) {
                best = new byte[length];
                System.arraycopy(page, at + 4, best, 0, length);
            }
            at += 4 + length;
        }
        return best;
    }

    /** The block limits in blocks: our transfer limit, lowered by the remote's MAXIMUM TRANSFER LENGTH. */
    private CompletableFuture<RemoteLunLimits> blockLimits(Set<Integer> pages, int blockSize) {
        int ours = Math.max(1, maxTransferBytes / blockSize);
        if (!pages.contains(BLOCK_LIMITS)) {
            return CompletableFuture.completedFuture(new RemoteLunLimits(ours, 1, false, 0, 0));
        }
        return vpd(BLOCK_LIMITS, false).thenApply(page -> {
            int granularity = page.length >= 8 ? Math.max(1, getShort(page, 6)) : 1;
            long maxTransfer = page.length >= 12 ? Integer.toUnsignedLong(getInt(page, 8)) : 0;
            long unmapBlocks = page.length >= 24 ? Integer.toUnsignedLong(getInt(page, 20)) : 0;
            long unmapDescriptors = page.length >= 28 ? Integer.toUnsignedLong(getInt(page, 24)) : 0;
            int transfer = maxTransfer == 0 ? ours : (int) Math.min(ours, maxTransfer);
            return new RemoteLunLimits(transfer, granularity, unmapBlocks > 0 && unmapDescriptors > 0, unmapBlocks,
                    (int) Math.min(Integer.MAX_VALUE, unmapDescriptors));
        });
    }

    /** UNMAP stays on only when READ CAPACITY(16) says LBPME=1 and VPD B2h says LBPU=1. */
    private CompletableFuture<RemoteLunLimits> provisioning(Set<Integer> pages, RemoteLunLimits limits, Capacity capacity) {
        if (!limits.unmapSupported() || !capacity.provisioningEnabled() || !pages.contains(LOGICAL_BLOCK_PROVISIONING)) {
            return CompletableFuture.completedFuture(withoutUnmap(limits));
        }
        return vpd(LOGICAL_BLOCK_PROVISIONING, false).thenApply(page -> page.length > 5 && (page[5] & 0x80) != 0
                ? limits : withoutUnmap(limits));
    }

    private static RemoteLunLimits withoutUnmap(RemoteLunLimits limits) {
        return new RemoteLunLimits(limits.maxTransferBlocks(), limits.optimalGranularityBlocks(), false, 0, 0);
    }

    /** A VPD page, asked for again with the right length when the first answer was cut short. */
    private CompletableFuture<byte[]> vpd(int page, boolean control) {
        String label = String.format("INQUIRY VPD %02Xh", page);
        return command(ScsiRequest.read(Cdbs.inquiry(page, VPD_ALLOCATION), VPD_ALLOCATION, label), control)
                .thenCompose(data -> {
                    int length = data.length >= 4 ? 4 + getShort(data, 2) : data.length;
                    if (length <= data.length || length > 0xFFFF) {
                        return CompletableFuture.completedFuture(data.length >= 4 && (data[1] & 0xFF) == page
                                ? Arrays.copyOf(data, Math.min(length, data.length))
                                : failedPage(label, data.length));
                    }
                    return command(ScsiRequest.read(Cdbs.inquiry(page, length), length, label), control);
                });
    }

    private static byte[] failedPage(String label, int length) {
        throw invalid(label + " returned a malformed page of " + length + " bytes");
    }

    /** Runs a command that reads data; yields the bytes (the buffer is released here). */
    private CompletableFuture<byte[]> command(ScsiRequest request, boolean control) {
        return runner.run(control ? request.asControl() : request, -1).thenApply(outcome -> {
            ByteBuf data = outcome.data();
            if (data == null) {
                return new byte[0];
            }
            try {
                byte[] bytes = new byte[data.readableBytes()];
                data.getBytes(data.readerIndex(), bytes);
                return bytes;
            } finally {
                data.release();
            }
        });
    }

    private static String[] standardInquiry(byte[] data) {
        if (data.length < 36) {
            throw invalid("standard INQUIRY data of " + data.length + " bytes");
        }
        int qualifier = (data[0] & 0xE0) >> 5;
        int type = data[0] & 0x1F;
        if (qualifier != 0) {
            throw invalid("the LUN is not connected (peripheral qualifier " + qualifier + ")");
        }
        if (type != DIRECT_ACCESS) {
            throw invalid("the LUN is not a direct-access block device (peripheral device type 0x"
                    + Integer.toHexString(type) + ")");
        }
        return new String[] {ascii(data, 8, 8), ascii(data, 16, 16), ascii(data, 32, 4)};
    }

    private static int checkBlockSize(int blockSize) {
        if (blockSize < 512 || blockSize > 65536 || Integer.bitCount(blockSize) != 1) {
            throw invalid("unusable logical block size " + Integer.toUnsignedString(blockSize));
        }
        return blockSize;
    }

    /** Whether a command failed because the target does not offer it (ILLEGAL REQUEST). */
    static boolean refusedByTarget(Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                ? failure.getCause() : failure;
        return cause instanceof BlockIoException e && e.sense().senseKey() == 0x05;
    }

    private static String ascii(byte[] data, int offset, int length) {
        return new String(data, offset, Math.max(0, Math.min(length, data.length - offset)), StandardCharsets.US_ASCII)
                .replace('\0', ' ').trim();
    }

    private static int getShort(byte[] b, int at) {
        return ByteBuffer.wrap(b).getShort(at) & 0xFFFF;
    }

    private static int getInt(byte[] b, int at) {
        return ByteBuffer.wrap(b).getInt(at);
    }

    private static long getLong(byte[] b, int at) {
        return ByteBuffer.wrap(b).getLong(at);
    }

    private static BlockIoException invalid(String message) {
        return new BlockIoException(SenseCode.COMMUNICATION_FAILURE, message);
    }
}
