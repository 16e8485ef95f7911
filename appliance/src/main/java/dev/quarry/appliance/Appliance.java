package dev.quarry.appliance;

import dev.quarry.admin.http.HttpApiServer;
import dev.quarry.admin.http.Router;
import dev.quarry.appliance.api.ApiContext;
import dev.quarry.appliance.api.ApplianceApi;
import dev.quarry.appliance.api.JobRegistry;
import dev.quarry.appliance.api.PortalStore;
import dev.quarry.appliance.disk.IscsiDiskOpener;
import dev.quarry.appliance.health.HealthRoutes;
import dev.quarry.appliance.metrics.ApplianceMetrics;
import dev.quarry.appliance.metrics.MetricsRoute;
import dev.quarry.appliance.metrics.MetricsSettings;
import dev.quarry.appliance.target.LunRegistry;
import dev.quarry.appliance.target.TargetConfigStore;
import dev.quarry.appliance.target.TargetManager;
import dev.quarry.iscsi.server.IscsiServer;
import dev.quarry.iscsi.server.IscsiServerConfig;
import dev.quarry.iscsi.server.TargetRegistry;
import dev.quarry.volume.VolumeManager;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running appliance: the volume manager, the logical units and targets it exports, the iSCSI
 * portal and the admin HTTP listener. Closing it stops in the order that loses nothing: first ask
 * initiators to log out (so no new command arrives), then stop the admin API, then close logical
 * units and finally the volume manager (which commits and flushes).
 *
 * <p>Thread-safe; {@link #close()} is idempotent and may be called from a shutdown hook.
 */
public final class Appliance implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Appliance.class);
    /** How long initiators get to log out when asked to, before their connections are closed. */
    static final Duration LOGOUT_GRACE = Duration.ofSeconds(3);
    /** The portal group every portal of this appliance belongs to. */
    static final int PORTAL_GROUP_TAG = 1;

    private final VolumeManager volumes;
    private final TargetManager targets;
    private final IscsiServer iscsi;
    private final HttpApiServer http;
    private final ApplianceMetrics metrics;
    private final Router router;
    private final Deque<AutoCloseable> resources;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final CountDownLatch stopped = new CountDownLatch(1);

    private Appliance(VolumeManager volumes, TargetManager targets, IscsiServer iscsi, HttpApiServer http, Router router,
                      ApplianceMetrics metrics, Deque<AutoCloseable> resources) {
        this.volumes = volumes;
        this.targets = targets;
        this.iscsi = iscsi;
        this.http = http;
        this.metrics = metrics;
        this.router = router;
        this.resources = resources;
    }

    /** Runs once storage is open and before anything is served (the demo creates its LUN here). */
    @FunctionalInterface
    public interface Provisioner {
        void provision(VolumeManager volumes, TargetManager targets) throws IOException;
    }

    /** Opens the data folder, lets {@code provisioner} prepare what must exist, then serves. Blocks until listening. */
    public static Appliance start(ApplianceSettings settings, Provisioner provisioner) throws IOException, InterruptedException {
        return start(settings, MetricsSettings.defaults(), provisioner);
    }

    /** As {@link #start(ApplianceSettings, Provisioner)}, with {@code metricsSettings} choosing the optional series. */
    public static Appliance start(ApplianceSettings settings, MetricsSettings metricsSettings, Provisioner provisioner)
            throws IOException, InterruptedException {
        Deque<AutoCloseable> resources = new ArrayDeque<>();
        try {
            VolumeManager volumes = VolumeManager.open(settings.metadataDirectory(), settings.volumes());
            resources.push(volumes);
            ExecutorService stateIo = Executors.newSingleThreadExecutor(r -> new Thread(r, "lu-state"));
            resources.push(stateIo::shutdown);
            ApplianceMetrics metrics = new ApplianceMetrics(metricsSettings, Versions.current());
            LunRegistry luns = new LunRegistry(volumes.volumes(), volumes.snapshots(), settings.lunStateDirectory(), stateIo, metrics);
            resources.push(luns);
            TargetRegistry registry = new TargetRegistry();
            TargetManager targets = new TargetManager(new TargetConfigStore(settings.targetsFile()), luns, registry,
                    List.of(PORTAL_GROUP_TAG));
            targets.start();
            provisioner.provision(volumes, targets);
            IscsiServer iscsi = IscsiServer.start(IscsiServerConfig.defaults()
                    .withPortals(List.of(new InetSocketAddress(settings.bind(), settings.iscsiPort())))
                    .withMetrics(metrics.transport()), registry);
            resources.push(() -> iscsi.shutdownGracefully(LOGOUT_GRACE).join());
            metrics.bind(volumes, targets, iscsi);
            PortalStore portals = new PortalStore(settings.portalsFile());
            for (String portal : portals.load()) {
                iscsi.addPortal(PortalStore.parse(portal));
            }
            Router router = new Router().add(HealthRoutes.route(iscsi, Instant.now(), Versions.current()))
                    .add(MetricsRoute.route(metrics));
            JobRegistry jobs = new JobRegistry();
            volumes.runningJobs().forEach(jobs::adopt);
            ApplianceApi.install(router, new ApiContext(volumes, targets, iscsi, jobs, portals,
                    settings.volumes().openers().stream().filter(IscsiDiskOpener.class::isInstance)
                            .map(IscsiDiskOpener.class::cast).findFirst()), Versions.current());
            HttpApiServer http = HttpApiServer.start(settings.httpBind(), settings.httpPort(), router, settings.httpSecurity());
            resources.push(http);
            return new Appliance(volumes, targets, iscsi, http, router, metrics, resources);
        } catch (IOException | InterruptedException | RuntimeException e) {
            closeAll(resources, e);
            throw e;
        }
    }

    public VolumeManager volumes() {
        return volumes;
    }

    public TargetManager targets() {
        return targets;
    }

    public IscsiServer iscsi() {
        return iscsi;
    }

    public HttpApiServer http() {
        return http;
    }

    /** The meter registry and the figures served at {@code GET /metrics}. */
    public ApplianceMetrics metrics() {
        return metrics;
    }

    /**
     * The admin API's route table: other parts of the appliance add their routes here; the
     * OpenAPI document lists whatever it holds.
     */
    public Router router() {
        return router;
    }

    /** Blocks until {@link #close()} has finished (for the main thread of a daemon). */
    public void awaitStopped() throws InterruptedException {
        stopped.await();
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            LOG.info("stopping: asking initiators to log out");
            closeAll(resources, null);
            LOG.info("stopped");
        } finally {
            stopped.countDown();
        }
    }

    /** Closes in reverse order of opening; failures are logged (and attached to {@code cause} when starting failed). */
    private static void closeAll(Deque<AutoCloseable> resources, Exception cause) {
        while (!resources.isEmpty()) {
            AutoCloseable resource = resources.pop();
            try {
                resource.close();
            } catch (Exception e) {
                if (cause != null) {
                    cause.addSuppressed(e);
                } else {
                    LOG.error("closing {} failed", resource, e);
                }
            }
        }
    }
}
