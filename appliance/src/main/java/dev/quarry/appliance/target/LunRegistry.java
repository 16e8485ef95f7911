package dev.quarry.appliance.target;

import dev.quarry.appliance.identity.LunIdentities;
import dev.quarry.block.BlockVolume;
import dev.quarry.block.ReadOnlyVolume;
import dev.quarry.iscsi.scsi.FileLogicalUnitStateStore;
import dev.quarry.iscsi.scsi.LogicalUnit;
import dev.quarry.iscsi.scsi.LogicalUnitMetrics;
import dev.quarry.volume.thin.VolumeRecord;
import dev.quarry.volume.thin.VolumeService;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.UUID;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One SCSI logical unit per exported volume (and one per read-only export of it), shared by every
 * target that maps it, so that reservations, unit attentions and task sets are the volume's, whatever
 * path a host takes (multipath). Each unit keeps its reservations and saved mode pages in a state file
 * named after its identity.
 *
 * <p>Thread-safe; methods block on RocksDB and file I/O, so call them from admin threads.
 */
public final class LunRegistry implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LunRegistry.class);

    private final VolumeService volumes;
    private final Path stateDirectory;
    private final Executor stateIo;
    private final UnitInstrumentation instrumentation;
    private final Map<UUID, LogicalUnit> units = new HashMap<>();

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
    }

    /**
     * @param stateDirectory where each unit's state file lives
     * @param stateIo where state files are written (never an event loop)
     */
    public LunRegistry(VolumeService volumes, Path stateDirectory, Executor stateIo) {
        this(volumes, stateDirectory, stateIo, UnitInstrumentation.NONE);
    }

    /** As {@link #LunRegistry(VolumeService, Path, Executor)}, with every unit instrumented by {@code instrumentation}. */
    public LunRegistry(VolumeService volumes, Path stateDirectory, Executor stateIo, UnitInstrumentation instrumentation) {
        this.volumes = volumes;
        this.stateDirectory = stateDirectory;
        this.stateIo = stateIo;
        this.instrumentation = instrumentation;
    }

    /** The logical unit exporting {@code volumeName} (read-only or not), opened on first use. */
    public synchronized LogicalUnit unitFor(String volumeName, boolean readOnly) {
        VolumeRecord record = volumes.volume(volumeName)
                .orElseThrow(() -> new NoSuchElementException("no volume named " + volumeName));
        UUID identity = readOnly ? readOnlyIdentity(record.uuid()) : record.uuid();
        LogicalUnit unit = units.get(identity);
        if (unit == null) {
            BlockVolume volume = volumes.open(volumeName);
            unit = new LogicalUnit(readOnly ? new ReadOnlyVolume(volume) : volume, LunIdentities.of(identity),
                    new FileLogicalUnitStateStore(stateDirectory.resolve(identity + ".state"), stateIo),
                    instrumentation.metricsFor(volumeName, readOnly));
            units.put(identity, unit);
            instrumentation.opened(volumeName, readOnly, unit);
        }
        return unit;
    }

    /** Closes every unit (their volumes stay open: the volume manager owns them). */
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
    }

    /** A read-only export is a unit of its own, with an identity derived from the volume's. */
    static UUID readOnlyIdentity(UUID volume) {
        return UUID.nameUUIDFromBytes((volume + ":read-only").getBytes(StandardCharsets.US_ASCII));
    }
}
