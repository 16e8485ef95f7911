package dev.quarry.iscsi.initiator;

import dev.quarry.block.BlockIoException;
import dev.quarry.block.SenseCode;
import dev.quarry.iscsi.scsi.ScsiStatus;
import dev.quarry.iscsi.scsi.SenseData;
import dev.quarry.iscsi.scsi.SenseKey;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs one SCSI command through the {@link Session} with the retry policy of a block-device
 * initiator, and turns what cannot be retried into a {@link BlockIoException}:
 * <ul>
 *   <li>UNIT ATTENTION: sent again, once per distinct attention (a target may queue several,
 *       e.g. a reset and a capacity change); CAPACITY DATA HAS CHANGED (2A/09) also refreshes the
 *       capacity;</li>
 *   <li>BUSY, TASK SET FULL, TASK ABORTED, ACA ACTIVE and NOT READY while becoming ready (04/01,
 *       04/0A): sent again after a doubling pause, for at most the command timeout;</li>
 *   <li>ABORTED COMMAND (transport errors such as a digest error) and target failures (iSCSI
 *       Response not 0): sent again up to three times;</li>
 *   <li>any other sense passes through unchanged, with INFORMATION when the target gave it, and
 *       for a MEDIUM ERROR without INFORMATION the command's first LBA;</li>
 *   <li>RESERVATION CONFLICT and unknown statuses fail with LOGICAL UNIT COMMUNICATION FAILURE.</li>
 * </ul>
 *
 * <p>Thread-safe; futures complete on the session's event loop.
 */
final class CommandRunner {

    /** Called when a target reports CAPACITY DATA HAS CHANGED; must not block. */
    interface CapacityListener {
        void capacityChanged();
    }

    private static final int MAX_UNIT_ATTENTIONS = 4;
    private static final int MAX_TRANSPORT_RETRIES = 3;
    private static final long FIRST_PAUSE_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
    private static final long MAX_PAUSE_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final Session session;
    private volatile CapacityListener capacityListener = () -> { };

    CommandRunner(Session session) {
        this.session = session;
    }

    void onCapacityChange(CapacityListener listener) {
        this.capacityListener = listener;
    }

    Session session() {
        return session;
    }

    /**
     * Runs {@code request}; the future yields a good outcome (whose data the caller owns) or fails
     * with a {@link BlockIoException}. {@code lba} is the first block the command addresses, for
     * the INFORMATION of a medium error (-1 when it addresses none).
     */
    CompletableFuture<ScsiOutcome> run(ScsiRequest request, long lba) {
        CompletableFuture<ScsiOutcome> result = new CompletableFuture<>();
        attempt(new Attempts(request, lba, result));
        return result;
    }

    private void attempt(Attempts a) {
        session.submit(a.request).whenComplete((outcome, failure) -> {
            if (failure != null) {
                a.result.completeExceptionally(failure instanceof BlockIoException ? failure
                        : Session.failure(a.request.label() + " failed: " + failure, failure));
                return;
            }
            if (outcome.good()) {
                a.result.complete(outcome);
                return;
            }
            outcome.release();
            decide(a, outcome);
        });
    }

    private void decide(Attempts a, ScsiOutcome outcome) {
        if (outcome.response() != 0) {
            retryOrFail(a, ++a.transportRetries <= MAX_TRANSPORT_RETRIES, 0, outcome);
            return;
        }
        int status = outcome.status();
        if (status == ScsiStatus.BUSY.code() || status == ScsiStatus.TASK_SET_FULL.code()
                || status == ScsiStatus.TASK_ABORTED.code() || status == ScsiStatus.ACA_ACTIVE.code()) {
            retryOrFail(a, a.pauseAllowed(), a.nextPause(), outcome);
            return;
        }
        SenseData sense = outcome.sense();
        if (status != ScsiStatus.CHECK_CONDITION.code() || sense == null) {
            a.result.completeExceptionally(Session.failure(describe(a, outcome), null));
            return;
        }
        switch (sense.senseKey()) {
            case UNIT_ATTENTION -> unitAttention(a, outcome);
            case NOT_READY -> {
                boolean becomingReady = sense.asc() == 0x04 && (sense.ascq() == 0x01 || sense.ascq() == 0x0A);
                if (becomingReady) {
                    retryOrFail(a, a.pauseAllowed(), a.nextPause(), outcome);
                } else {
                    a.result.completeExceptionally(passThrough(a, outcome));
                }
            }
            case ABORTED_COMMAND -> retryOrFail(a, ++a.transportRetries <= MAX_TRANSPORT_RETRIES, 0, outcome);
            default -> a.result.completeExceptionally(passThrough(a, outcome));
        }
    }

    private void unitAttention(Attempts a, ScsiOutcome outcome) {
        SenseData sense = outcome.sense();
        int code = sense.asc() << 8 | sense.ascq();
        if (code == 0x2A09) {
            capacityListener.capacityChanged();
        }
        boolean again = code != a.lastAttention && ++a.unitAttentions <= MAX_UNIT_ATTENTIONS;
        a.lastAttention = code;
        if (again) {
            attempt(a);
        } else {
            a.result.completeExceptionally(passThrough(a, outcome));
        }
    }

    private void retryOrFail(Attempts a, boolean retry, long pauseNanos, ScsiOutcome outcome) {
        if (!retry) {
            a.result.completeExceptionally(outcome.sense() != null && outcome.response() == 0 ? passThrough(a, outcome)
                    : Session.failure(describe(a, outcome) + ", retries exhausted", null));
            return;
        }
        if (pauseNanos == 0) {
            attempt(a);
        } else {
            session.loop().schedule(() -> attempt(a), pauseNanos, TimeUnit.NANOSECONDS);
        }
    }

    /** The remote's sense, unchanged, as the exception the block layer knows. */
    private BlockIoException passThrough(Attempts a, ScsiOutcome outcome) {
        SenseData sense = outcome.sense();
        SenseCode code = new SenseCode(sense.senseKey().code(), sense.asc(), sense.ascq());
        String message = describe(a, outcome);
        if (sense.informationValid()) {
            return new BlockIoException(code, sense.information(), message, null);
        }
        if (sense.senseKey() == SenseKey.MEDIUM_ERROR && a.lba >= 0) {
            return new BlockIoException(code, a.lba, message, null);
        }
        return new BlockIoException(code, message, null);
    }

    private String describe(Attempts a, ScsiOutcome outcome) {
        String what = outcome.status() == ScsiStatus.RESERVATION_CONFLICT.code() && outcome.response() == 0
                ? "reservation conflict" : outcome.describe();
        return a.request.label() + " on " + session.target().describe() + ": " + what;
    }

    /** The retry state of one command. Confined to the event loop. */
    private final class Attempts {
        final ScsiRequest request;
        final long lba;
        final CompletableFuture<ScsiOutcome> result;
        final long started = System.nanoTime();
        int unitAttentions;
        int lastAttention = -1;
        int transportRetries;
        long pause = FIRST_PAUSE_NANOS;

        Attempts(ScsiRequest request, long lba, CompletableFuture<ScsiOutcome> result) {
            this.request = request;
            this.lba = lba;
            this.result = result;
        }

        boolean pauseAllowed() {
            return System.nanoTime() - started + pause < session.config().commandTimeout().toNanos();
        }

        long nextPause() {
            long current = pause;
            pause = Math.min(MAX_PAUSE_NANOS, pause * 2);
            return current;
        }
    }
}
