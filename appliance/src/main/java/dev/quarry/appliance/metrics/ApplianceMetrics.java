package dev.quarry.appliance.metrics;

import dev.quarry.appliance.target.LunRegistry;
import dev.quarry.appliance.target.TargetManager;
import dev.quarry.iscsi.scsi.LogicalUnit;
import dev.quarry.iscsi.scsi.LogicalUnitMetrics;
import dev.quarry.iscsi.server.IscsiServer;
import dev.quarry.iscsi.server.TransportMetrics;
import dev.quarry.volume.VolumeManager;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The appliance's meter registry and everything bound to it: the transport's counters, one
 * {@link LunMeters} per logical unit, per-initiator series when enabled, and the storage and
 * session figures refreshed at each {@link #scrape()}.
 *
 * <p>Thread-safe. Binding happens during start-up; scrapes run on admin worker threads, one at a time.
 */
public final class ApplianceMetrics implements LunRegistry.UnitInstrumentation {

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final InitiatorMeters initiators;
    private final TransportMeters transport;
    private final RefreshedMeters refreshed = new RefreshedMeters(registry);
    private final Map<String, LunMeters> luns = new ConcurrentHashMap<>();
    private volatile StorageMeters storage;
    private volatile SessionMeters sessions;

    public ApplianceMetrics(MetricsSettings settings, String version) {
        this.initiators = new InitiatorMeters(registry, settings);
        this.transport = new TransportMeters(registry);
        Gauge.builder("quarry.build.info", () -> 1).description("1, labelled with the appliance's version")
                .tag("version", version).register(registry);
    }

    /** Where the iSCSI server reports connections and logins. */
    public TransportMetrics transport() {
        return transport;
    }

    @Override
    public LogicalUnitMetrics metricsFor(String volume, boolean readOnly) {
        return luns.computeIfAbsent(key(volume, readOnly), k -> new LunMeters(registry, volume, readOnly, initiators));
    }

    @Override
    public void opened(String volume, boolean readOnly, LogicalUnit unit) {
        luns.get(key(volume, readOnly)).observe(unit);
    }

    @Override
    public void closed(String volume, boolean readOnly) {
        LunMeters meters = luns.remove(key(volume, readOnly));
        if (meters != null) {
            meters.remove();
        }
    }

    /** Exports the storage and sessions of a started appliance from the next scrape on. */
    public void bind(VolumeManager volumes, TargetManager targets, IscsiServer iscsi) {
        this.storage = new StorageMeters(Objects.requireNonNull(volumes, "volumes"));
        this.sessions = new SessionMeters(Objects.requireNonNull(iscsi, "iscsi"), targets, initiators);
    }

    public MeterRegistry registry() {
        return registry;
    }

    /** Refreshes the figures read at scrape time and renders every meter in the Prometheus text format. */
    public synchronized String scrape() {
        StorageMeters s = storage;
        SessionMeters t = sessions;
        refreshed.begin();
        if (s != null) {
            s.refresh(refreshed);
        }
        if (t != null) {
            t.refresh(refreshed);
        }
        refreshed.end();
        return registry.scrape();
    }

    private static String key(String volume, boolean readOnly) {
        return (readOnly ? "ro:" : "rw:") + volume;
    }
}
