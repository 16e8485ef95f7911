package dev.quarry.appliance;

import dev.quarry.admin.http.HttpApiServer;
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
 * @param bind the address the iSCSI portal listens on
 * @param iscsiPort the iSCSI portal port (0 picks a free one, for tests)
 * @param httpBind the address the admin API listens on
 * @param httpPort the admin API port (0 picks a free one)
 * @param httpSecurity the admin API's bearer tokens and TLS
 * @param volumes the volume manager's settings
 */
public record ApplianceSettings(Path data, String bind, int iscsiPort, String httpBind, int httpPort,
                                HttpApiServer.Security httpSecurity, VolumeManagerConfig volumes) {

    public ApplianceSettings {
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(bind, "bind");
        Objects.requireNonNull(httpBind, "httpBind");
        Objects.requireNonNull(httpSecurity, "httpSecurity");
        Objects.requireNonNull(volumes, "volumes");
    }

    /** Both listeners on {@code bind}, the admin API without tokens or TLS (tests, the loopback demo). */
    public ApplianceSettings(Path data, String bind, int iscsiPort, int httpPort, VolumeManagerConfig volumes) {
        this(data, bind, iscsiPort, bind, httpPort, HttpApiServer.Security.NONE, volumes);
    }

    /** The same settings with the admin API secured by {@code security}. */
    public ApplianceSettings withHttpSecurity(HttpApiServer.Security security) {
        return new ApplianceSettings(data, bind, iscsiPort, httpBind, httpPort, security, volumes);
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
