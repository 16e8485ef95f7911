package dev.quarry.volume.chunk;

/**
 * A chunk could not be read back intact (I/O error, or a record that fails its checks even at the
 * placement its chunk record names). Carries the index of the block within the request so that
 * the volume can report the exact LBA as a medium error.
 *
 * <p>Immutable, hence thread-safe.
 */
public final class BadChunkException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int index;

    public BadChunkException(int index, String message, Throwable cause) {
        super(message, cause);
        this.index = index;
    }

    /** The index of the failed block within the request. */
    public int index() {
        return index;
    }
}
