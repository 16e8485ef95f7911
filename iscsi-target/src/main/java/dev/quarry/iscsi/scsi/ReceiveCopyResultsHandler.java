package dev.quarry.iscsi.scsi;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * RECEIVE COPY RESULTS (SPC-4 §6.18) for EXTENDED COPY(LID1): COPY STATUS of an operation this
 * nexus started under LIST IDENTIFIER (INVALID FIELD IN CDB when there is none), and OPERATING
 * PARAMETERS, the copy manager's limits.
 *
 * <pre>
 * COPY STATUS (12): 0..3 AVAILABLE DATA (8)  4 HDD|COPY MANAGER STATUS  5..6 SEGMENTS PROCESSED
 *                   7 TRANSFER COUNT UNITS (00h bytes, 01h KiB)  8..11 TRANSFER COUNT
 * OPERATING PARAMETERS (44 + n): 8..9 MAX CSCD DESCRIPTORS  10..11 MAX SEGMENT DESCRIPTORS
 *   12..15 MAX DESCRIPTOR LIST LENGTH  16..19 MAX SEGMENT LENGTH  43 n  44.. descriptor type codes
 * </pre>
 *
 * <p>Stateless; thread-safe.
 */
final class ReceiveCopyResultsHandler implements CommandHandler {

    @Override
    public CompletionStage<ScsiResult> execute(CommandContext context) {
        byte[] cdb = context.cdb();
        Cdb.reserved(cdb, 1, 0xE0);
        Cdb.reservedBytes(cdb, 3, 10);
        Cdb.reserved(cdb, 14, 0xFF);
        long allocation = Cdb.u32(cdb, 10);
        byte[] data = switch (cdb[1] & 0x1F) {
            case ServiceActions.COPY_STATUS -> copyStatus(context, Cdb.u8(cdb, 2));
            case ServiceActions.OPERATING_PARAMETERS -> {
                Cdb.reserved(cdb, 2, 0xFF);
                yield operatingParameters(context.unit());
            }
            default -> throw ScsiCommandException.invalidFieldInCdb(1, 4);
        };
        return CompletableFuture.completedFuture(CommandContext.goodData(data, allocation));
    }

    private static byte[] copyStatus(CommandContext context, int listId) {
        CopyOperations.Status status = context.unit().copies().status(context.nexus(), listId);
        if (status == null) {
            throw ScsiCommandException.invalidFieldInCdb(2, 7);
        }
        byte[] data = new byte[12];
        Bytes.putInt(data, 0, 8);
        data[4] = (byte) status.copyManagerStatus();
        Bytes.putShort(data, 5, Math.min(0xFFFF, status.segmentsProcessed()));
        long bytes = status.bytesTransferred();
        if (bytes <= 0xFFFF_FFFFL) {
            Bytes.putInt(data, 8, (int) bytes);
        } else {
            data[7] = 0x01;
            Bytes.putInt(data, 8, (int) Math.min(bytes >>> 10, 0xFFFF_FFFFL));
        }
        return data;
    }

    private static byte[] operatingParameters(LogicalUnit unit) {
        byte[] codes = {ExtendedCopyHandler.BLOCK_TO_BLOCK, (byte) ExtendedCopyHandler.IDENTIFICATION_DESCRIPTOR};
        byte[] data = new byte[44 + codes.length];
        Bytes.putInt(data, 0, data.length - 4);
        Bytes.putShort(data, 8, ExtendedCopyHandler.MAX_TARGET_DESCRIPTORS);
        Bytes.putShort(data, 10, ExtendedCopyHandler.MAX_SEGMENT_DESCRIPTORS);
        Bytes.putInt(data, 12, ExtendedCopyHandler.MAX_DESCRIPTOR_LIST_LENGTH);
        Bytes.putInt(data, 16, 0xFFFF * unit.limits().blockSize());
        Bytes.putShort(data, 34, 1);
        data[36] = 1;
        data[37] = (byte) Integer.numberOfTrailingZeros(unit.limits().blockSize());
        data[43] = (byte) codes.length;
        System.arraycopy(codes, 0, data, 44, codes.length);
        return data;
    }
}
