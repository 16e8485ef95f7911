package dev.quarry.iscsi.scsi;

import java.util.Objects;

/**
 * A command that ends in CHECK CONDITION with the sense it carries (STYLE B8). Thrown by CDB
 * decoding and command handlers, or completing their stages exceptionally; turned into sense
 * data in exactly one place, {@link CommandOutcomes}.
 *
 * <p>Unchecked because it travels through {@code CompletableFuture}s. Immutable.
 */
public final class ScsiCommandException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final transient SenseData sense;

    /** CHECK CONDITION with {@code key}/{@code code} and the INFORMATION field set to {@code info}. */
    public ScsiCommandException(SenseKey key, AscAscq code, long info) {
        this(SenseData.of(key, code).withInformation(info));
    }

    /** CHECK CONDITION with exactly {@code sense}. */
    public ScsiCommandException(SenseData sense) {
        super(describe(Objects.requireNonNull(sense, "sense")), null, false, false);
        this.sense = sense;
    }

    public SenseData sense() {
        return sense;
    }

    /** ILLEGAL REQUEST / INVALID FIELD IN CDB, pointing at byte {@code byteIndex}, bit {@code bit} (-1: none). */
    public static ScsiCommandException invalidFieldInCdb(int byteIndex, int bit) {
        return new ScsiCommandException(SenseData.of(SenseKey.ILLEGAL_REQUEST, AscAscq.INVALID_FIELD_IN_CDB)
                .withFieldPointer(true, byteIndex, bit));
    }

    /** ILLEGAL REQUEST / INVALID FIELD IN PARAMETER LIST, pointing into the parameter data. */
    public static ScsiCommandException invalidFieldInParameterList(int byteIndex, int bit) {
        return new ScsiCommandException(SenseData.of(SenseKey.ILLEGAL_REQUEST, AscAscq.INVALID_FIELD_IN_PARAMETER_LIST)
                .withFieldPointer(false, byteIndex, bit));
    }

    /** ILLEGAL REQUEST with {@code code} and no further fields. */
    public static ScsiCommandException illegalRequest(AscAscq code) {
        return new ScsiCommandException(SenseData.of(SenseKey.ILLEGAL_REQUEST, code));
    }

    /** ILLEGAL REQUEST / PARAMETER LIST LENGTH ERROR. */
    public static ScsiCommandException parameterListLengthError() {
        return illegalRequest(AscAscq.PARAMETER_LIST_LENGTH_ERROR);
    }

    /** ILLEGAL REQUEST / LOGICAL BLOCK ADDRESS OUT OF RANGE, with the offending LBA as INFORMATION. */
    public static ScsiCommandException lbaOutOfRange(long lba) {
        return new ScsiCommandException(SenseKey.ILLEGAL_REQUEST, AscAscq.LBA_OUT_OF_RANGE, lba);
    }

    /** ILLEGAL REQUEST / INVALID COMMAND OPERATION CODE, pointing at byte 0 of the CDB. */
    public static ScsiCommandException invalidOpcode() {
        return new ScsiCommandException(SenseData.of(SenseKey.ILLEGAL_REQUEST, AscAscq.INVALID_COMMAND_OPERATION_CODE)
                .withFieldPointer(true, 0, 7));
    }

    private static String describe(SenseData sense) {
        return String.format("%s %02X/%02X", sense.senseKey(), sense.asc(), sense.ascq());
    }
}
