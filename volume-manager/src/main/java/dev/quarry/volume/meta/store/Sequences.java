package dev.quarry.volume.meta.store;

import dev.quarry.volume.meta.schema.Schema;
import dev.quarry.volume.meta.schema.SystemKey;

/**
 * Hands out pool, disk and volume ids from counters in the {@code system} family; ids are never
 * reused, so a deleted volume's leftovers can never be mistaken for a new one's.
 *
 * <p>Thread-safe. Blocks in RocksDB (a synced write per id): admin paths only.
 */
public final class Sequences {

    private final MetadataStore store;

    public Sequences(MetadataStore store) {
        this.store = store;
    }

    /** The next value of {@code key}, starting at {@code first}; durable before it is returned. */
    public synchronized long next(SystemKey key, long first) {
        Long current = store.get(Schema.SYSTEM, key);
        long value = current == null ? first : current;
        try (Batch batch = store.batch()) {
            batch.put(Schema.SYSTEM, key, value + 1);
            store.write(batch, true);
        }
        return value;
    }
}
