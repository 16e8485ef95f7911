package dev.quarry.iscsi.scsi;

import io.netty.buffer.ByteBuf;
import java.util.Objects;

/**
 * What a command handler produces when it does not fail: a status other than CHECK CONDITION and
 * the Data-In, if any. Failures are exceptions ({@link ScsiCommandException}, or a volume's
 * {@link dev.quarry.block.BlockIoException}); {@link CommandOutcomes} turns both into responses.
 *
 * <p>Owns {@code dataIn} until it is turned into a {@link ScsiResponse}. Immutable.
 */
record ScsiResult(ScsiStatus status, ByteBuf dataIn) {

    private static final ScsiResult GOOD = new ScsiResult(ScsiStatus.GOOD, null);
    private static final ScsiResult RESERVATION_CONFLICT = new ScsiResult(ScsiStatus.RESERVATION_CONFLICT, null);

    ScsiResult {
        Objects.requireNonNull(status, "status");
        if (status == ScsiStatus.CHECK_CONDITION) {
            throw new IllegalArgumentException("CHECK CONDITION is raised as ScsiCommandException");
        }
    }

    static ScsiResult good() {
        return GOOD;
    }

    static ScsiResult good(ByteBuf dataIn) {
        return new ScsiResult(ScsiStatus.GOOD, dataIn);
    }

    static ScsiResult reservationConflict() {
        return RESERVATION_CONFLICT;
    }
}
