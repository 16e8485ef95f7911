package dev.quarry.iscsi.scsi;

import dev.quarry.block.BlockIoException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * EXTENDED COPY (LID1) (SPC-4 §6.4), the VMware XCOPY primitive: identification-descriptor
 * target descriptors (E4h) name logical units by their NAA designator, block-to-block segment
 * descriptors (02h) copy ranges between them through {@code BlockVolume.copyFrom}.
 *
 * <p>Only units mapped in the target this command came through can be named: anything else is
 * COPY ABORTED / COPY TARGET DEVICE NOT REACHABLE, so that no initiator can reach a unit it is
 * not given (RELIABILITY case 45, CVE-2020-28374). The whole parameter list is validated before
 * the first block moves; segment ranges beyond a unit's capacity end in COPY ABORTED. Reservations
 * of the other units are honoured (source read, destination write), and a read-only destination
 * is refused. Segments are copied one after the other, with abort checks between them.
 *
 * <pre>
 * header (16): 0 LIST IDENTIFIER  1 STR|LIST ID USAGE (4..3)|PRIORITY  2..3 CSCD DESCRIPTOR LIST LENGTH
 *              8..11 SEGMENT DESCRIPTOR LIST LENGTH  12..15 INLINE DATA LENGTH
 * E4h (32): 1 LU ID TYPE|NUL|PERIPHERAL TYPE  4..23 designation descriptor  28 PAD  29..31 BLOCK LENGTH
 * 02h (28): 1 DC|CAT  2..3 length (18h)  4..5 source index  6..7 destination index
 *           10..11 NUMBER OF BLOCKS  12..19 source LBA  20..27 destination LBA
 * </pre>
 *
 * <p>Stateless; thread-safe.
 */
final class ExtendedCopyHandler implements CommandHandler {

    static final int IDENTIFICATION_DESCRIPTOR = 0xE4;
    static final byte BLOCK_TO_BLOCK = 0x02;
    static final int MAX_TARGET_DESCRIPTORS = 4;
    static final int MAX_SEGMENT_DESCRIPTORS = 16;
    static final int MAX_DESCRIPTOR_LIST_LENGTH = 1024;
    private static final int HEADER = 16;
    private static final int TARGET_DESCRIPTOR = 32;
    private static final int SEGMENT_DESCRIPTOR = 28;

    /** A validated segment: blocks to copy between two resolved units. */
    private record Segment(LogicalUnit source, long sourceLba, LogicalUnit destination, long destinationLba, int blocks) {
    }

    @Override
    public CompletionStage<ScsiResult> execute(CommandContext context) {
        byte[] cdb = context.cdb();
        Cdb.reservedBytes(cdb, 2, 10);
        Cdb.reserved(cdb, 14, 0xFF);
        long length = Cdb.u32(cdb, 10);
        byte[] list = context.parameterList(length);
        if (length == 0) {
            return CompletableFuture.completedFuture(ScsiResult.good());
        }
        if (length < HEADER) {
            throw ScsiCommandException.parameterListLengthError();
        }
        int listId = Cdb.u8(list, 0);
        int usage = (list[1] & 0x18) >>> 3;
        if ((list[1] & 0x20) != 0) {
            throw ScsiCommandException.invalidFieldInParameterList(1, 5);
        }
        if (usage == 3 && listId != 0) {
            throw ScsiCommandException.invalidFieldInParameterList(0, 7);
        }
        List<Segment> segments = parse(context, list);
        ItNexus nexus = context.nexus();
        boolean hold = usage == 0 || usage == 1;
        CopyOperations copies = context.unit().copies();
        if (hold && !copies.begin(nexus, listId)) {
            throw ScsiCommandException.illegalRequest(AscAscq.OPERATION_IN_PROGRESS);
        }
        return copy(context, segments, listId, hold).thenApply(v -> ScsiResult.good());
    }

    private static List<Segment> parse(CommandContext context, byte[] list) {
        int targetLength = Cdb.u16(list, 2);
        long segmentLength = Cdb.u32(list, 8);
        long inlineLength = Cdb.u32(list, 12);
        if (HEADER + targetLength + segmentLength + inlineLength > list.length) {
            throw ScsiCommandException.parameterListLengthError();
        }
        if (targetLength + segmentLength > MAX_DESCRIPTOR_LIST_LENGTH) {
            throw ScsiCommandException.parameterListLengthError();
        }
        if (inlineLength != 0) {
            throw ScsiCommandException.invalidFieldInParameterList(12, 7);
        }
        if (targetLength % TARGET_DESCRIPTOR != 0) {
            throw ScsiCommandException.invalidFieldInParameterList(2, 7);
        }
        int targets = targetLength / TARGET_DESCRIPTOR;
        if (targets > MAX_TARGET_DESCRIPTORS) {
            throw ScsiCommandException.illegalRequest(AscAscq.TOO_MANY_TARGET_DESCRIPTORS);
        }
        List<LogicalUnit> units = new ArrayList<>(targets);
        for (int i = 0; i < targets; i++) {
            units.add(target(context, list, HEADER + i * TARGET_DESCRIPTOR));
        }
        return segments(context, list, HEADER + targetLength, (int) segmentLength, units);
    }

    /** Resolves an identification target descriptor to a unit reachable through this nexus' target. */
    private static LogicalUnit target(CommandContext context, byte[] list, int at) {
        if (Cdb.u8(list, at) != IDENTIFICATION_DESCRIPTOR) {
            throw ScsiCommandException.illegalRequest(AscAscq.UNSUPPORTED_TARGET_DESCRIPTOR_TYPE_CODE);
        }
        if ((list[at + 1] & 0x1F) != 0) {
            throw ScsiCommandException.illegalRequest(AscAscq.UNSUPPORTED_TARGET_DESCRIPTOR_TYPE_CODE);
        }
        int codeSet = list[at + 4] & 0x0F;
        int designatorType = list[at + 5] & 0x0F;
        int association = (list[at + 5] & 0x30) >>> 4;
        int designatorLength = Cdb.u8(list, at + 7);
        LogicalUnit unit = null;
        if (codeSet == 1 && designatorType == 3 && association == 0 && designatorLength == 16) {
            byte[] naa = java.util.Arrays.copyOfRange(list, at + 8, at + 24);
            unit = context.binding().target().logicalUnitByNaa(naa);
        }
        if (unit == null) {
            throw copyAborted(AscAscq.COPY_TARGET_DEVICE_NOT_REACHABLE);
        }
        int blockLength = Cdb.u24(list, at + 29);
        if (blockLength != unit.limits().blockSize()) {
            throw ScsiCommandException.invalidFieldInParameterList(at + 29, 7);
        }
        return unit;
    }

    private static List<Segment> segments(CommandContext context, byte[] list, int from, int length,
                                          List<LogicalUnit> units) {
        List<Segment> segments = new ArrayList<>();
        int at = from;
        while (at < from + length) {
            if (at + 4 > from + length) {
                throw ScsiCommandException.parameterListLengthError();
            }
            if (list[at] != BLOCK_TO_BLOCK) {
                throw ScsiCommandException.illegalRequest(AscAscq.UNSUPPORTED_SEGMENT_DESCRIPTOR_TYPE_CODE);
            }
            if (Cdb.u16(list, at + 2) != SEGMENT_DESCRIPTOR - 4 || at + SEGMENT_DESCRIPTOR > from + length) {
                throw ScsiCommandException.invalidFieldInParameterList(at + 2, 7);
            }
            if (segments.size() == MAX_SEGMENT_DESCRIPTORS) {
                throw ScsiCommandException.illegalRequest(AscAscq.TOO_MANY_SEGMENT_DESCRIPTORS);
            }
            segments.add(segment(context, list, at, units));
            at += SEGMENT_DESCRIPTOR;
        }
        return segments;
    }

    private static Segment segment(CommandContext context, byte[] list, int at, List<LogicalUnit> units) {
        int sourceIndex = Cdb.u16(list, at + 4);
        int destinationIndex = Cdb.u16(list, at + 6);
        if (sourceIndex >= units.size() || destinationIndex >= units.size()) {
            throw copyAborted(AscAscq.COPY_TARGET_DEVICE_NOT_REACHABLE);
        }
        LogicalUnit source = units.get(sourceIndex);
        LogicalUnit destination = units.get(destinationIndex);
        int blocks = Cdb.u16(list, at + 10);
        long sourceLba = Cdb.u64(list, at + 12);
        long destinationLba = Cdb.u64(list, at + 20);
        if (!fits(source, sourceLba, blocks) || !fits(destination, destinationLba, blocks)) {
            throw copyAborted(AscAscq.NO_ADDITIONAL_SENSE);
        }
        ItNexus nexus = context.nexus();
        if (source.reservationConflict(nexus, ReservationAccess.READ)
                || destination.reservationConflict(nexus, ReservationAccess.WRITE)) {
            throw copyAborted(AscAscq.COPY_TARGET_DEVICE_NOT_REACHABLE);
        }
        destination.checkWritable();
        return new Segment(source, sourceLba, destination, destinationLba, blocks);
    }

    private static CompletionStage<Void> copy(CommandContext context, List<Segment> segments, int listId, boolean hold) {
        ItNexus nexus = context.nexus();
        CopyOperations copies = context.unit().copies();
        CompletableFuture<Void> done = CompletableFuture.completedFuture(null);
        long bytes = 0;
        for (int i = 0; i < segments.size(); i++) {
            Segment segment = segments.get(i);
            int processed = i + 1;
            bytes += (long) segment.blocks() * segment.destination().limits().blockSize();
            long transferred = bytes;
            done = done.thenCompose(v -> {
                context.checkNotAborted();
                return segment.destination().volume().copyFrom(segment.source().volume(), segment.sourceLba(),
                        segment.destinationLba(), segment.blocks());
            }).thenRun(() -> copies.progress(nexus, listId, processed, transferred));
        }
        return done.handle((v, failure) -> {
            copies.end(nexus, listId, failure == null, hold);
            if (failure == null) {
                return null;
            }
            throw asCopyAborted(failure);
        });
    }

    /** A failure of the copy itself becomes COPY ABORTED with the volume's additional sense code. */
    private static RuntimeException asCopyAborted(Throwable failure) {
        Throwable cause = failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null
                ? failure.getCause() : failure;
        if (cause instanceof BlockIoException e) {
            return new ScsiCommandException(new SenseData(SenseKey.COPY_ABORTED, e.sense().asc(), e.sense().ascq(), 0,
                    false, -1));
        }
        if (cause instanceof RuntimeException e) {
            return e;
        }
        return new java.util.concurrent.CompletionException(cause);
    }

    private static boolean fits(LogicalUnit unit, long lba, long blocks) {
        return dev.quarry.block.BlockRange.fits(lba, blocks, unit.volume().blockCount());
    }

    private static ScsiCommandException copyAborted(AscAscq code) {
        return new ScsiCommandException(SenseData.of(SenseKey.COPY_ABORTED, code));
    }
}
