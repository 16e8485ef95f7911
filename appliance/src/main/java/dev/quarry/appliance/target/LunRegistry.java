package dev.quarry.appliance.target;

import dev.quarry.appliance.identity.LunIdentities;
import dev.quarry.block.BlockVolume;
import dev.quarry.block.ReadOnlyVolume;
import dev.quarry.iscsi.scsi.FileLogicalUnitStateStore;
import dev.quarry.iscsi.scsi.LogicalUnit;
import dev.quarry.iscsi.scsi.LogicalUnitMetrics;
import dev.quarry.volume.snapshot.SnapshotRecord;
import dev.quarry.volume.snapshot.SnapshotService;
import dev.quarry.volume.thin.VolumeRecord;
import dev.quarry.volume.thin.VolumeService;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One SCSI logical unit per exported volume (and one per read-only export of it, and one per
 * exported snapshot), shared by every target that maps it, so that reservations, unit attentions and
 * task sets are the volume's, whatever path a host takes (multipath). Each unit keeps its reservations
 * and saved mode pages in a state file named after its identity. A snapshot's unit owns the read-only
 * view it reads through and closes it when no target maps the snapshot any more ({@link #release}),
 * which is what lets the snapshot be deleted.
 *
 * <p>Thread-safe; methods block on RocksDB and file I/O, so call them from admin threads.
 */
public final class LunRegistry implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LunRegistry.class);

    private final VolumeService volumes;
    private final SnapshotService snapshots;
    private final Path stateDirectory;
    private final Executor stateIo;
    private final UnitInstrumentation instrumentation;
    private final Map<UUID, LogicalUnit> units = new HashMap<>();
    private final Map<UUID, SnapshotExport> snapshotExports = new HashMap<>();

    /** A snapshot's unit: what it is named, and the view it owns. */
    private record SnapshotExport(ExportName name, BlockVolume view) {
    }

    /** How each unit is instrumented: the metrics it reports commands to, and the unit once built. */
    public interface UnitInstrumentation {

        /** No metrics. */
        UnitInstrumentation NONE = new UnitInstrumentation() {
            @Override
            public LogicalUnitMetrics metricsFor(String volume, boolean readOnly) {
                return LogicalUnitMetrics.NONE;
            }

            @Override
            public void opened(String volume, boolean readOnly, LogicalUnit unit) {
            }
        };

        /** The metrics of the unit about to be built for {@code volume}. */
        LogicalUnitMetrics metricsFor(String volume, boolean readOnly);

        /** The unit has been built (for gauges that read it, such as its queue depth). */
        void opened(String volume, boolean readOnly, LogicalUnit unit);

        /** The unit has been closed for good (an unmapped snapshot): its meters can go. */
        default void closed(String volume, boolean readOnly) {
        }
    }

    /**
     * @param stateDirectory where each unit's state file lives
     * @param stateIo where state files are written (never an event loop)
     */
    public LunRegistry(VolumeService volumes, SnapshotService snapshots, Path stateDirectory, Executor stateIo) {
        this(volumes, snapshots, stateDirectory, stateIo, UnitInstrumentation.NONE);
    }

    /**
     * As {@link #LunRegistry(VolumeService, SnapshotService, Path, Executor)}, with every unit
     * instrumented by {@code instrumentation}.
     */
    public LunRegistry(VolumeService volumes, SnapshotService snapshots, Path stateDirectory, Executor stateIo,
                       UnitInstrumentation instrumentation) {
        this.volumes = volumes;
        this.snapshots = snapshots;
        this.stateDirectory = stateDirectory;
        this.stateIo = stateIo;
        this.instrumentation = instrumentation;
    }

    /**
     * The logical unit exporting {@code exported} ({@code vol}, read-only or not, or
     * {@code vol@snap}, always read-only), opened on first use.
     */
    public synchronized LogicalUnit unitFor(String exported, boolean readOnly) {
        ExportName name = ExportName.parse(exported);
        VolumeRecord record = volumes.volume(name.volume())
                .orElseThrow(() -> new NoSuchElementException("no volume named " + name.volume()));
        if (name.isSnapshot()) {
            return snapshotUnit(name, record);
        }
        UUID identity = readOnly ? readOnlyIdentity(record.uuid()) : record.uuid();
        LogicalUnit unit = units.get(identity);
        if (unit == null) {
            BlockVolume volume = volumes.open(name.volume());
            unit = open(identity, readOnly ? new ReadOnlyVolume(volume) : volume, exported, readOnly);
        }
        return unit;
    }

    /**
     * Closes the units of snapshots that {@code mapped} (every {@code vol@snap} some target still
     * maps) no longer names, so that the snapshots can be deleted. Volumes' units stay: they own
     * nothing and keep their task sets for a remap.
     */
    public synchronized void release(Collection<String> mapped) {
        Set<ExportName> wanted = mapped.stream().map(ExportName::parse).collect(Collectors.toSet());
        for (Iterator<Map.Entry<UUID, SnapshotExport>> it = snapshotExports.entrySet().iterator(); it.hasNext();) {
            Map.Entry<UUID, SnapshotExport> export = it.next();
            if (!wanted.contains(export.getValue().name())) {
                it.remove();
                closeSnapshotUnit(export.getKey(), export.getValue());
            }
        }
    }

    private LogicalUnit snapshotUnit(ExportName name, VolumeRecord record) {
        SnapshotRecord snapshot = snapshots.snapshot(name.volume(), name.snapshot())
                .orElseThrow(() -> new NoSuchElementException("no snapshot named " + name));
        UUID identity = snapshotIdentity(record.uuid(), snapshot.id());
        LogicalUnit unit = units.get(identity);
        if (unit == null) {
            BlockVolume view = snapshots.openSnapshot(name.volume(), name.snapshot());
            try {
                unit = open(identity, view, name.toString(), true);
            } catch (RuntimeException e) {
                view.close();
                throw e;
            }
            snapshotExports.put(identity, new SnapshotExport(name, view));
        }
        return unit;
    }

    private LogicalUnit open(UUID identity, BlockVolume volume, String exported, boolean readOnly) {
        LogicalUnit unit = new LogicalUnit(volume, LunIdentities.of(identity),
                new FileLogicalUnitStateStore(stateDirectory.resolve(identity + ".state"), stateIo),
                instrumentation.metricsFor(exported, readOnly));
        units.put(identity, unit);
        instrumentation.opened(exported, readOnly, unit);
        return unit;
    }

    private void closeSnapshotUnit(UUID identity, SnapshotExport export) {
        LogicalUnit unit = units.remove(identity);
        try {
            if (unit != null) {
                unit.close();
            }
        } finally {
            export.view().close();
            instrumentation.closed(export.name().toString(), true);
        }
    }

    /** Closes every unit (their volumes stay open: the volume manager owns them; snapshot views are closed). */
    @Override
    public synchronized void close() {
        for (LogicalUnit unit : units.values()) {
            try {
                unit.close();
            } catch (RuntimeException e) {
                LOG.error("closing {} failed", unit, e);
            }
        }
        units.clear();
        for (SnapshotExport export : snapshotExports.values()) {
            try {
                export.view().close();
            } catch (RuntimeException e) {
                LOG.error("closing the view of snapshot {} failed", export.name(), e);
            }
        }
        snapshotExports.clear();
    }

    /** A read-only export is a unit of its own, with an identity derived from the volume's. */
    static UUID readOnlyIdentity(UUID volume) {
        return UUID.nameUUIDFromBytes((volume + ":read-only").getBytes(StandardCharsets.US_ASCII));
    }

    /**
     * A snapshot's unit has an identity of its own, stable for the snapshot's life: derived from
     * its volume's UUID and its id (ids are never reused within a volume), not from its name.
     */
    static UUID snapshotIdentity(UUID volume, long snapshotId) {
        return UUID.nameUUIDFromBytes((volume + ":snapshot:" + snapshotId).getBytes(StandardCharsets.US_ASCII));
    }
}
