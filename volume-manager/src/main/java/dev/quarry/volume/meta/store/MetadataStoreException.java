package dev.quarry.volume.meta.store;

/**
 * A RocksDB call of the metadata store failed (STYLE B7): names the store, the column family and
 * the operation. When {@link #fatal()} the whole store has failed and refuses further work; the
 * volumes then answer HARDWARE ERROR / INTERNAL TARGET FAILURE.
 *
 * <p>Unchecked, because it travels through futures. Immutable, hence thread-safe.
 */
public final class MetadataStoreException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final boolean fatal;

    public MetadataStoreException(String store, String columnFamily, String operation, boolean fatal, Throwable cause) {
        super("metadata store " + store + ": " + operation + " on " + columnFamily + " failed"
                + (fatal ? " (store failed)" : "") + (cause == null ? "" : ": " + cause.getMessage()), cause);
        this.fatal = fatal;
    }

    /** Whether the store failed as a whole. */
    public boolean fatal() {
        return fatal;
    }
}
