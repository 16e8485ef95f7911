package dev.quarry.iscsi.scsi;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * REQUEST SENSE (SPC-4 §6.39): the sense data of the condition this nexus should hear of next, as
 * parameter data with GOOD status: a pending unit attention (which it clears), a sanitize in
 * progress with its progress indication, sanitize failure mode (MEDIUM ERROR / SANITIZE COMMAND
 * FAILED), or NO SENSE. DESC selects descriptor format.
 *
 * <p>Stateless; thread-safe.
 */
final class RequestSenseHandler implements CommandHandler {

    @Override
    public CompletionStage<ScsiResult> execute(CommandContext context) {
        LogicalUnit unit = context.unit();
        Cdb.reserved(context.cdb(), 1, 0xFE);
        Cdb.reservedBytes(context.cdb(), 2, 4);
        SenseData sense;
        AscAscq attention = unit.attentions().take(context.nexus());
        if (attention != null) {
            sense = SenseData.of(SenseKey.UNIT_ATTENTION, attention);
        } else if (unit.sanitizeState().running()) {
            sense = SenseData.of(SenseKey.NOT_READY, AscAscq.SANITIZE_IN_PROGRESS).withProgress(unit.sanitizeState().progress());
        } else if (unit.sanitizeState().failed()) {
            sense = SenseData.of(SenseKey.MEDIUM_ERROR, AscAscq.SANITIZE_COMMAND_FAILED);
        } else {
            sense = SenseData.of(SenseKey.NO_SENSE, AscAscq.NO_ADDITIONAL_SENSE);
        }
        return CompletableFuture.completedFuture(senseAsData(context.cdb(), sense));
    }

    /** {@code sense} as REQUEST SENSE parameter data, in the format and length {@code cdb} asks for. */
    static ScsiResult senseAsData(byte[] cdb, SenseData sense) {
        Cdb.reserved(cdb, 1, 0xFE);
        Cdb.reservedBytes(cdb, 2, 4);
        boolean descriptor = (cdb[1] & 0x01) != 0;
        return CommandContext.goodData(sense.encode(descriptor), Cdb.u8(cdb, 4));
    }
}
