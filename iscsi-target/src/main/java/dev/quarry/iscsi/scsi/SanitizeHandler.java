package dev.quarry.iscsi.scsi;

import dev.quarry.block.BlockVolume;
import dev.quarry.block.WriteOptions;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.LongFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SANITIZE (SBC-3 §5.19): OVERWRITE writes the initialization pattern over every block
 * OVERWRITE COUNT times (inverting it between passes with INVERT); BLOCK ERASE (thin volumes
 * only) deallocates every block, which then reads as zeroes; CRYPTO ERASE makes the old data
 * unreachable the same way (deallocation on thin volumes, zeroes on fully provisioned ones: Quarry
 * volumes hold no per-volume key to destroy); EXIT FAILURE MODE leaves sanitize failure mode.
 *
 * <p>A sanitize operation belongs to the logical unit, not to the command: while it runs every
 * command but INQUIRY, REPORT LUNS and REQUEST SENSE ends in NOT READY / SANITIZE IN PROGRESS
 * with a progress indication, and it goes on when its command is aborted or the unit is reset.
 * With IMMED the command completes once the operation has started. If it fails, the unit enters
 * failure mode: medium access ends in MEDIUM ERROR / SANITIZE COMMAND FAILED.
 *
 * <pre>
 * OVERWRITE parameter list: 0 INVERT (7) TEST (6..5) OVERWRITE COUNT (4..0)  1 reserved
 *                           2..3 INITIALIZATION PATTERN LENGTH  4.. INITIALIZATION PATTERN
 * </pre>
 *
 * <p>Stateless; thread-safe.
 */
final class SanitizeHandler implements CommandHandler {

    private static final Logger LOG = LoggerFactory.getLogger(SanitizeHandler.class);
    /** Blocks handed to the volume per call, so that progress can be reported. */
    static final long PIECE_BLOCKS = 1L << 16;

    @Override
    public CompletionStage<ScsiResult> execute(CommandContext context) {
        byte[] cdb = context.cdb();
        Cdb.reserved(cdb, 1, 0x40);
        Cdb.reservedBytes(cdb, 2, 7);
        boolean immediate = (cdb[1] & 0x80) != 0;
        boolean ause = (cdb[1] & 0x20) != 0;
        int serviceAction = cdb[1] & 0x1F;
        int length = Cdb.u16(cdb, 7);
        LogicalUnit unit = context.unit();
        if (serviceAction == ServiceActions.EXIT_FAILURE_MODE) {
            requireNoParameters(length);
            if (!unit.sanitizeState().exitFailureMode()) {
                throw ScsiCommandException.invalidFieldInCdb(1, 4);
            }
            return CompletableFuture.completedFuture(ScsiResult.good());
        }
        unit.checkWritable();
        ByteBuf pattern = null;
        int passes = 1;
        boolean invert = false;
        if (serviceAction == ServiceActions.OVERWRITE) {
            byte[] list = overwriteParameters(context, length);
            passes = list[0] & 0x1F;
            invert = (list[0] & 0x80) != 0;
            pattern = patternBlock(list, unit.limits().blockSize());
        } else {
            requireNoParameters(length);
        }
        Operation operation = operation(unit, serviceAction, pattern, passes, invert);
        if (!unit.sanitizeState().begin(operation.totalBlocks())) {
            operation.release();
            throw new ScsiCommandException(SenseData.of(SenseKey.NOT_READY, AscAscq.SANITIZE_IN_PROGRESS));
        }
        CompletableFuture<Void> run = operation.run().whenComplete((v, failure) -> finish(unit, operation, failure, ause));
        if (immediate) {
            return CompletableFuture.completedFuture(ScsiResult.good());
        }
        CompletableFuture<Void> aborted = context.task().abortRequested();
        return CompletableFuture.anyOf(run, aborted).handle((v, failure) -> {
            if (!run.isDone()) {
                throw new TaskAbortedException();
            }
            if (run.isCompletedExceptionally()) {
                throw new ScsiCommandException(SenseData.of(SenseKey.MEDIUM_ERROR, AscAscq.SANITIZE_COMMAND_FAILED));
            }
            return ScsiResult.good();
        });
    }

    private static void finish(LogicalUnit unit, Operation operation, Throwable failure, boolean ause) {
        operation.release();
        unit.sanitizeState().end(failure == null, ause);
        if (failure != null) {
            LOG.error("sanitize of {} failed; the unit is in sanitize failure mode", unit, failure);
        }
    }

    private static byte[] overwriteParameters(CommandContext context, int length) {
        int blockSize = context.unit().limits().blockSize();
        if (length < 5 || length > blockSize + 4) {
            throw ScsiCommandException.invalidFieldInCdb(7, 7);
        }
        byte[] list = context.parameterList(length);
        int patternLength = Cdb.u16(list, 2);
        if ((list[0] & 0x60) != 0) {
            throw ScsiCommandException.invalidFieldInParameterList(0, 6);
        }
        if ((list[0] & 0x1F) == 0) {
            throw ScsiCommandException.invalidFieldInParameterList(0, 4);
        }
        if (patternLength == 0 || patternLength > blockSize || patternLength + 4 != length) {
            throw ScsiCommandException.invalidFieldInParameterList(2, 7);
        }
        return list;
    }

    /** One block filled with the initialization pattern, repeated. */
    private static ByteBuf patternBlock(byte[] list, int blockSize) {
        int patternLength = Cdb.u16(list, 2);
        byte[] block = new byte[blockSize];
        for (int i = 0; i < blockSize; i++) {
            block[i] = list[4 + i % patternLength];
        }
        return Unpooled.wrappedBuffer(block);
    }

    private static void requireNoParameters(int length) {
        if (length != 0) {
            throw ScsiCommandException.invalidFieldInCdb(7, 7);
        }
    }

    private static Operation operation(LogicalUnit unit, int serviceAction, ByteBuf pattern, int passes, boolean invert) {
        BlockVolume volume = unit.volume();
        long blocks = volume.blockCount();
        if (serviceAction == ServiceActions.OVERWRITE) {
            ByteBuf inverted = invertedCopy(pattern);
            return new Operation(unit, blocks * passes, pattern, inverted, (lba) -> {
                long pass = lba / blocks;
                ByteBuf source = invert && pass % 2 == 1 ? inverted : pattern;
                long at = lba % blocks;
                return volume.writeSame(at, Math.min(PIECE_BLOCKS, blocks - at), source.retainedDuplicate(), false,
                        WriteOptions.CACHED).thenApply(v -> Math.min(PIECE_BLOCKS, blocks - at));
            });
        }
        if (unit.thin()) {
            long piece = Math.min(PIECE_BLOCKS, Math.max(1, unit.limits().maxUnmapBlocks()));
            return new Operation(unit, blocks, null, null, (lba) -> {
                long count = Math.min(piece, blocks - lba);
                return volume.unmap(lba, count).thenApply(v -> count);
            });
        }
        ByteBuf zeroes = Unpooled.wrappedBuffer(new byte[unit.limits().blockSize()]);
        return new Operation(unit, blocks, zeroes, null, (lba) -> {
            long count = Math.min(PIECE_BLOCKS, blocks - lba);
            return volume.writeSame(lba, count, zeroes.retainedDuplicate(), false, WriteOptions.CACHED)
                    .thenApply(v -> count);
        });
    }

    private static ByteBuf invertedCopy(ByteBuf pattern) {
        byte[] bytes = new byte[pattern.readableBytes()];
        pattern.getBytes(pattern.readerIndex(), bytes);
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) ~bytes[i];
        }
        return Unpooled.wrappedBuffer(bytes);
    }


    /**
     * A running sanitize: {@code step} processes the piece starting at a position (in blocks, over
     * all passes) and returns how many blocks it covered; a final flush makes it durable.
     */
    private record Operation(LogicalUnit unit, long totalBlocks, ByteBuf first, ByteBuf second,
                             LongFunction<CompletableFuture<Long>> step) {

        CompletableFuture<Void> run() {
            CompletableFuture<Void> done = new CompletableFuture<>();
            next(0, done);
            return done.thenCompose(v -> unit.volume().flush());
        }

        private void next(long position, CompletableFuture<Void> done) {
            if (position >= totalBlocks) {
                done.complete(null);
                return;
            }
            step.apply(position).whenComplete((covered, failure) -> {
                if (failure != null) {
                    done.completeExceptionally(failure);
                    return;
                }
                unit.sanitizeState().advance(covered);
                next(position + covered, done);
            });
        }

        void release() {
            Buffers.release(first);
            Buffers.release(second);
        }
    }
}
