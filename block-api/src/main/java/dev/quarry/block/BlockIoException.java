package dev.quarry.block;

/**
 * A block operation that failed in a way the host must be told about precisely: it carries the
 * sense the SCSI layer returns, and optionally the INFORMATION field (the first failing LBA for
 * a medium error, the byte offset of the first difference for a miscompare).
 *
 * <p>Unchecked, because it travels through {@code CompletableFuture}s. Immutable.
 */
public class BlockIoException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final SenseCode sense;
    private final long information;
    private final boolean informationValid;

    /** A failure without an INFORMATION field. */
    public BlockIoException(SenseCode sense, String message) {
        this(sense, message, null);
    }

    /** A failure without an INFORMATION field, with the lower-level cause. */
    public BlockIoException(SenseCode sense, String message, Throwable cause) {
        super(message, cause);
        this.sense = java.util.Objects.requireNonNull(sense, "sense");
        this.information = 0;
        this.informationValid = false;
    }

    /** A failure whose INFORMATION field names an LBA or offset (see the class comment). */
    public BlockIoException(SenseCode sense, long information, String message, Throwable cause) {
        super(message, cause);
        this.sense = java.util.Objects.requireNonNull(sense, "sense");
        this.information = information;
        this.informationValid = true;
    }

    /** Medium error reading {@code lba}: only that block is lost, the rest of the volume is fine. */
    public static BlockIoException unrecoveredRead(long lba, String message, Throwable cause) {
        return new BlockIoException(SenseCode.UNRECOVERED_READ_ERROR, lba, message, cause);
    }

    /** Medium error writing at {@code lba}. */
    public static BlockIoException writeError(long lba, String message, Throwable cause) {
        return new BlockIoException(SenseCode.WRITE_ERROR, lba, message, cause);
    }

    /** COMPARE AND WRITE found a difference at byte {@code offset} of the compared data. */
    public static BlockIoException miscompare(long offset) {
        return new BlockIoException(SenseCode.MISCOMPARE, offset, "miscompare at byte " + offset, null);
    }

    public SenseCode sense() {
        return sense;
    }

    /** The INFORMATION field; meaningful only when {@link #informationValid()}. */
    public long information() {
        return information;
    }

    public boolean informationValid() {
        return informationValid;
    }
}
