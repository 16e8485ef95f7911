package dev.quarry.iscsi.scsi;

import dev.quarry.block.BlockIoException;
import dev.quarry.block.SenseCode;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place where command outcomes become {@link ScsiResponse}s (STYLE B8):
 * {@link ScsiCommandException} and a volume's {@link BlockIoException} become CHECK CONDITION
 * with their sense, an abort becomes the answer its disposition asks for, and anything else
 * becomes HARDWARE ERROR / INTERNAL TARGET FAILURE, logged once with the LUN, task tag and
 * initiator.
 *
 * <p>Stateless; thread-safe.
 */
final class CommandOutcomes {

    private static final Logger LOG = LoggerFactory.getLogger(CommandOutcomes.class);

    private CommandOutcomes() {
    }

    /** The response for a handler's result. */
    static ScsiResponse success(ScsiResult result, int dataOutLength) {
        return new ScsiResponse(result.status(), result.dataIn(), null, dataOutLength, true);
    }

    /** CHECK CONDITION with {@code sense}, encoded as {@code descriptorFormat} asks. */
    static ScsiResponse checkCondition(SenseData sense, boolean descriptorFormat, int dataOutLength) {
        return new ScsiResponse(ScsiStatus.CHECK_CONDITION, null, sense.encode(descriptorFormat), dataOutLength, true);
    }

    /** The answer to a task ended by a task management function. */
    static ScsiResponse aborted(ScsiTask.Disposition disposition) {
        return disposition == ScsiTask.Disposition.TASK_ABORTED
                ? new ScsiResponse(ScsiStatus.TASK_ABORTED, null, null, 0, true)
                : ScsiResponse.abortedSilently();
    }

    /** The response for a command that failed with {@code failure}. */
    static ScsiResponse failure(Throwable failure, ScsiTask task, boolean descriptorFormat, int dataOutLength) {
        Throwable cause = unwrap(failure);
        if (cause instanceof TaskAbortedException) {
            return aborted(ScsiTask.Disposition.TASK_ABORTED);
        }
        return checkCondition(senseOf(cause, task), descriptorFormat, dataOutLength);
    }

    /** The sense for {@code failure}; unexpected failures are logged here and nowhere else. */
    static SenseData senseOf(Throwable failure, ScsiTask task) {
        Throwable cause = unwrap(failure);
        if (cause instanceof ScsiCommandException e) {
            return e.sense();
        }
        if (cause instanceof BlockIoException e) {
            SenseCode code = e.sense();
            SenseData sense = new SenseData(SenseKey.of(code.senseKey()), code.asc(), code.ascq(), 0, false, -1);
            return e.informationValid() ? sense.withInformation(e.information()) : sense;
        }
        LOG.error("internal target failure: lun={} itt=0x{} initiator={} cdb0=0x{}",
                Lun.decode(task.command().lun()), Long.toHexString(task.tag()), task.nexus().initiatorPortName(),
                Integer.toHexString(task.command().operationCode()), cause);
        return SenseData.of(SenseKey.HARDWARE_ERROR, AscAscq.INTERNAL_TARGET_FAILURE);
    }

    private static Throwable unwrap(Throwable failure) {
        Throwable cause = failure;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }
}
