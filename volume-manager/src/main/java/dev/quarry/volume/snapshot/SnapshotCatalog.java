package dev.quarry.volume.snapshot;

import dev.quarry.volume.commit.Retention;
import dev.quarry.volume.meta.schema.Schema;
import dev.quarry.volume.meta.schema.SnapshotKey;
import dev.quarry.volume.meta.schema.ValueCodecs;
import dev.quarry.volume.meta.store.Cursor;
import dev.quarry.volume.meta.store.MetadataStore;
import dev.quarry.volume.thin.VolumeRecord;
import dev.quarry.volume.thin.VolumeSnapshots;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The snapshot definitions of every volume, loaded from the {@code snapshot} column family at
 * start and kept in memory (they are few and read on every barrier); the caller writes a change
 * durably before it tells the catalog.
 *
 * <p>Thread-safe.
 */
public final class SnapshotCatalog implements VolumeSnapshots {

    private final Map<Integer, TreeMap<Long, SnapshotRecord>> byVolume = new HashMap<>();

    private SnapshotCatalog() {
    }

    /** Every snapshot definition in {@code store}. */
    public static SnapshotCatalog load(MetadataStore store) {
        SnapshotCatalog catalog = new SnapshotCatalog();
        try (Cursor c = store.cursor(Schema.SNAPSHOT, new byte[0], null)) {
            for (; c.valid(); c.next()) {
                catalog.put(ValueCodecs.decodeSnapshot(SnapshotKey.CODEC.decode(c.key()), c.value()));
            }
        }
        return catalog;
    }

    /** Every snapshot of {@code volumeId}, readable or being deleted, oldest first. */
    public synchronized List<SnapshotRecord> of(int volumeId) {
        TreeMap<Long, SnapshotRecord> all = byVolume.get(volumeId);
        return all == null ? List.of() : List.copyOf(all.values());
    }

    /** The snapshot of {@code volumeId} named {@code name}, readable or being deleted. */
    public synchronized Optional<SnapshotRecord> find(int volumeId, String name) {
        return of(volumeId).stream().filter(s -> s.name().equals(name)).findFirst();
    }

    /** Every snapshot being deleted, for recovery. */
    public synchronized List<SnapshotRecord> deleting() {
        List<SnapshotRecord> found = new ArrayList<>();
        byVolume.values().forEach(all -> all.values().stream()
                .filter(s -> s.state() == SnapshotState.DELETING).forEach(found::add));
        return found;
    }

    public synchronized void put(SnapshotRecord record) {
        byVolume.computeIfAbsent(record.volumeId(), v -> new TreeMap<>()).put(record.id(), record);
    }

    public synchronized void remove(SnapshotRecord record) {
        TreeMap<Long, SnapshotRecord> all = byVolume.get(record.volumeId());
        if (all != null) {
            all.remove(record.id());
            if (all.isEmpty()) {
                byVolume.remove(record.volumeId());
            }
        }
    }

    @Override
    public synchronized Retention retentionOf(VolumeRecord volume) {
        long[] pins = of(volume.id()).stream().filter(s -> s.state() == SnapshotState.ACTIVE)
                .mapToLong(SnapshotRecord::epoch).sorted().toArray();
        return pins.length == 0 && volume.epoch() == 0 ? Retention.NONE : new Retention(volume.epoch(), pins);
    }

    @Override
    public synchronized int readable(int volumeId) {
        return (int) of(volumeId).stream().filter(s -> s.state() == SnapshotState.ACTIVE).count();
    }

    @Override
    public synchronized int count(int volumeId) {
        TreeMap<Long, SnapshotRecord> all = byVolume.get(volumeId);
        return all == null ? 0 : all.size();
    }
}
