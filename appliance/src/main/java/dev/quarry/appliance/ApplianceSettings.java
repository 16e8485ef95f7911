package dev.quarry.appliance;

import dev.quarry.volume.VolumeManagerConfig;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Where an appliance keeps its state and where it listens.
 *
 * <p>Immutable and thread-safe.
 *
 * @param data the data folder: {@code metadata/} (RocksDB), {@code config/} (targets), {@code luns/}
 *     (per-LUN reservations and saved mode pages); backend disks may live anywhere
 * @param bind the address the iSCSI portal and the admin API listen on
 * @param iscsiPort the iSCSI portal port (0 picks a free one, for tests)
 * @param httpPort the admin API port (0 picks a free one)
 * @param volumes the volume manager's settings
 */
public record ApplianceSettings(Path data, String bind, int iscsiPort, int httpPort, VolumeManagerConfig volumes) {

    public ApplianceSettings {
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(bind, "bind");
        Objects.requireNonNull(volumes, "volumes");
    }

    public Path metadataDirectory() {
        return data.resolve("metadata");
    }

    public Path targetsFile() {
        return data.resolve("config").resolve("targets.json");
    }

    /** The portals added through the admin API (bound again at start). */
    public Path portalsFile() {
        return data.resolve("config").resolve("portals.json");
    }

    public Path lunStateDirectory() {
        return data.resolve("luns");
    }
}
