package dev.quarry.appliance.demo;

import dev.quarry.admin.http.HttpApiServer;
import dev.quarry.admin.http.Router;
import dev.quarry.appliance.Appliance;
import dev.quarry.appliance.Versions;
import dev.quarry.appliance.health.HealthRoutes;
import dev.quarry.appliance.identity.LunIdentities;
import dev.quarry.appliance.config.ByteSize;
import dev.quarry.iscsi.scsi.FileLogicalUnitStateStore;
import dev.quarry.iscsi.scsi.LogicalUnit;
import dev.quarry.iscsi.scsi.ScsiTargetDevice;
import dev.quarry.iscsi.server.IscsiServer;
import dev.quarry.iscsi.server.IscsiServerConfig;
import dev.quarry.iscsi.server.TargetEntry;
import dev.quarry.iscsi.server.TargetRegistry;
import dev.quarry.volume.disk.FileDisk;
import dev.quarry.volume.VolumeManager;
import dev.quarry.volume.VolumeManagerConfig;
import dev.quarry.volume.disk.FileDiskOpener;
import dev.quarry.volume.disk.TierClass;
import dev.quarry.volume.pool.DiskSpec;
import dev.quarry.volume.pool.PoolSpec;
import dev.quarry.volume.thin.ThinVolume;
import dev.quarry.volume.thin.VolumeRecord;
import dev.quarry.volume.thin.VolumeSpec;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Builds the demo appliance: a thin LUN in a pool on one sparse file, one open target, the portal and the admin API. */
public final class DemoSetup {

    /** The demo target's iSCSI name. */
    public static final String TARGET_NAME = "iqn.2026-11.dev.quarry:demo";
    static final String POOL_NAME = "demo";
    static final String VOLUME_NAME = "demo";
    private static final long MIN_DISK_BYTES = 1L << 30;
    private static final Logger LOG = LoggerFactory.getLogger(DemoSetup.class);

    private DemoSetup() {
    }

    /** Where the demo keeps its files and listens. */
    public record Settings(Path data, long size, String bind, int iscsiPort, int httpPort) {
    }

    static Path backingFile(Settings settings) {
        return settings.data().resolve("disks").resolve("demo-0.img");
    }

    /** Opens (creating on first use) the demo pool, volume and LUN and starts serving them. */
    public static Appliance start(Settings settings) throws IOException, InterruptedException {
        Deque<AutoCloseable> storage = new ArrayDeque<>();
        IscsiServer iscsi = null;
        try {
            VolumeManager manager = VolumeManager.open(settings.data().resolve("metadata"), VolumeManagerConfig.DEFAULT);
            storage.add(manager);
            ThinVolume volume = demoVolume(manager, settings);
            ExecutorService stateIo = Executors.newSingleThreadExecutor(r -> new Thread(r, "lu-state"));
            storage.add(stateIo::shutdown);
            VolumeRecord record = manager.volumes().volume(VOLUME_NAME).orElseThrow();
            LogicalUnit unit = new LogicalUnit(volume, LunIdentities.of(record.uuid()),
                    new FileLogicalUnitStateStore(settings.data().resolve("luns").resolve(record.uuid() + ".state"), stateIo));
            storage.add(unit);
            ScsiTargetDevice target = new ScsiTargetDevice(TARGET_NAME, List.of(1));
            target.map(0, unit);
            TargetRegistry targets = new TargetRegistry();
            targets.put(TargetEntry.open(TARGET_NAME, target).withAlias("quarry-demo"));
            iscsi = IscsiServer.start(IscsiServerConfig.defaults()
                    .withPortals(List.of(new InetSocketAddress(settings.bind(), settings.iscsiPort()))), targets);
            HttpApiServer http = HttpApiServer.start(settings.bind(), settings.httpPort(),
                    new Router().add(HealthRoutes.route(iscsi, Instant.now(), Versions.current())));
            return new Appliance(iscsi, http, storage);
        } catch (IOException | InterruptedException | RuntimeException e) {
            if (iscsi != null) {
                iscsi.close();
            }
            while (!storage.isEmpty()) {
                closeAfterFailure(storage.pollLast(), e);
            }
            throw e;
        }
    }

    /**
     * The demo pool on one sparse file disk (twice the LUN size, so the segment cleaner has room;
     * sparse, so it costs only what is written) and the thin demo volume in it. A larger
     * {@code --size} on a later start grows the volume; a smaller one keeps it as it is.
     */
    private static ThinVolume demoVolume(VolumeManager manager, Settings settings) throws IOException {
        manager.pools().createPool(PoolSpec.of(POOL_NAME));
        Path disk = backingFile(settings);
        long diskBytes = Math.max(2 * settings.size(), MIN_DISK_BYTES);
        if (!Files.exists(disk)) {
            FileDisk.open(disk, FileDisk.Options.buffered(diskBytes)).close();
        }
        manager.pools().addDisk(POOL_NAME, new DiskSpec(FileDiskOpener.locator(disk, false), TierClass.SATA, "local"));
        Optional<VolumeRecord> existing = manager.volumes().volume(VOLUME_NAME);
        if (existing.isEmpty()) {
            manager.volumes().createVolume(new VolumeSpec(VOLUME_NAME, settings.size(), POOL_NAME, null));
        } else if (existing.get().sizeBytes() < settings.size()) {
            manager.volumes().grow(VOLUME_NAME, settings.size());
        } else if (existing.get().sizeBytes() > settings.size()) {
            LOG.warn("the demo volume is {}; volumes never shrink, so --size {} is ignored",
                    ByteSize.format(existing.get().sizeBytes()), ByteSize.format(settings.size()));
        }
        return manager.volumes().open(VOLUME_NAME);
    }

    private static void closeAfterFailure(AutoCloseable part, Exception cause) {
        try {
            part.close();
        } catch (Exception e) {
            cause.addSuppressed(e);
        }
    }
}
