package dev.quarry.appliance.demo;

import dev.quarry.admin.http.HttpApiServer;
import dev.quarry.appliance.Appliance;
import dev.quarry.appliance.ApplianceSettings;
import dev.quarry.appliance.config.ByteSize;
import dev.quarry.appliance.target.LunMapping;
import dev.quarry.appliance.target.TargetDefinition;
import dev.quarry.volume.VolumeManager;
import dev.quarry.volume.VolumeManagerConfig;
import dev.quarry.volume.disk.FileDisk;
import dev.quarry.volume.disk.FileDiskOpener;
import dev.quarry.volume.disk.TierClass;
import dev.quarry.volume.pool.DiskSpec;
import dev.quarry.volume.pool.PoolSpec;
import dev.quarry.volume.thin.VolumeRecord;
import dev.quarry.volume.thin.VolumeSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Builds the demo appliance: a thin LUN in a pool on one sparse file, one open target, the portal and the admin API. */
public final class DemoSetup {

    /** The demo target's iSCSI name. */
    public static final String TARGET_NAME = "iqn.2026-11.dev.quarry:demo";
    static final String POOL_NAME = "demo";
    static final String VOLUME_NAME = "demo";
    /**
     * The demo's admin API has no tokens, so it listens on loopback only, whatever {@code --bind}
     * says; {@code quarry serve} is the way to an API others may reach.
     */
    static final String LOOPBACK = "127.0.0.1";
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

    /** Opens (creating on first use) the demo pool, volume and target and starts serving them. */
    public static Appliance start(Settings settings) throws IOException, InterruptedException {
        ApplianceSettings appliance = new ApplianceSettings(settings.data(), settings.bind(), settings.iscsiPort(), LOOPBACK,
                settings.httpPort(), HttpApiServer.Security.NONE, VolumeManagerConfig.DEFAULT);
        return Appliance.start(appliance, (volumes, targets) -> {
            demoVolume(volumes, settings);
            targets.create(TargetDefinition.open(TARGET_NAME).withAlias("quarry-demo")
                    .withLun(new LunMapping(0, VOLUME_NAME, false)));
        });
    }

    /**
     * The demo pool on one sparse file disk (twice the LUN size, so the segment cleaner has room;
     * sparse, so it costs only what is written) and the thin demo volume in it. A larger
     * {@code --size} on a later start grows the volume; a smaller one keeps it as it is.
     */
    private static void demoVolume(VolumeManager manager, Settings settings) throws IOException {
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
    }
}
