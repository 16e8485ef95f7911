package dev.quarry.iscsi.scsi;

import dev.quarry.block.BlockVolume;
import dev.quarry.block.SanitizeMethod;
import dev.quarry.block.SanitizeRequest;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SANITIZE (SBC-3 §5.19 / SBC-4 §5.30): validates the command and hands the operation to the
 * volume ({@link BlockVolume#sanitize}), which alone knows how its data can honestly be made
 * unrecoverable; only the methods the volume offers are accepted (others: INVALID FIELD IN CDB),
 * and only those are reported by REPORT SUPPORTED OPERATION CODES. EXIT FAILURE MODE leaves
 * sanitize failure mode.
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
        SanitizeRequest request = request(context, serviceAction, length);
        if (!unit.sanitizeState().begin()) {
            throw new ScsiCommandException(SenseData.of(SenseKey.NOT_READY, AscAscq.SANITIZE_IN_PROGRESS));
        }
        long started = System.nanoTime();
        CompletableFuture<Void> run = start(unit, request)
                .whenComplete((v, failure) -> finish(unit, request, failure, ause, started));
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

    private static CompletableFuture<Void> start(LogicalUnit unit, SanitizeRequest request) {
        try {
            return unit.volume().sanitize(request, unit.sanitizeState()::progressTo);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private static void finish(LogicalUnit unit, SanitizeRequest request, Throwable failure, boolean ause, long started) {
        unit.sanitizeState().end(failure == null, ause);
        long millis = (System.nanoTime() - started) / 1_000_000;
        if (failure != null) {
            LOG.error("sanitize {} of {} failed after {} ms; the unit is in sanitize failure mode", request, unit, millis,
                    failure);
        } else {
            LOG.info("sanitize {} of {} done in {} ms", request, unit, millis);
        }
    }

    /** The request the CDB and its parameter list describe, when the volume offers that method. */
    private static SanitizeRequest request(CommandContext context, int serviceAction, int length) {
        SanitizeMethod method = switch (serviceAction) {
            case ServiceActions.OVERWRITE -> SanitizeMethod.OVERWRITE;
            case ServiceActions.BLOCK_ERASE -> SanitizeMethod.BLOCK_ERASE;
            case ServiceActions.CRYPTO_ERASE -> SanitizeMethod.CRYPTO_ERASE;
            default -> throw ScsiCommandException.invalidFieldInCdb(1, 4);
        };
        if (!context.unit().limits().sanitizeMethods().contains(method)) {
            throw ScsiCommandException.invalidFieldInCdb(1, 4);
        }
        if (method != SanitizeMethod.OVERWRITE) {
            requireNoParameters(length);
            return method == SanitizeMethod.BLOCK_ERASE ? SanitizeRequest.blockErase() : SanitizeRequest.cryptoErase();
        }
        byte[] list = overwriteParameters(context, length);
        return SanitizeRequest.overwrite(patternBlock(list, context.unit().limits().blockSize()), list[0] & 0x1F,
                (list[0] & 0x80) != 0);
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
    private static byte[] patternBlock(byte[] list, int blockSize) {
        int patternLength = Cdb.u16(list, 2);
        byte[] block = new byte[blockSize];
        for (int i = 0; i < blockSize; i++) {
            block[i] = list[4 + i % patternLength];
        }
        return block;
    }

    private static void requireNoParameters(int length) {
        if (length != 0) {
            throw ScsiCommandException.invalidFieldInCdb(7, 7);
        }
    }
}
