package dev.quarry.appliance.testing;

import dev.quarry.appliance.Appliance;
import dev.quarry.appliance.ApplianceSettings;
import dev.quarry.volume.VolumeManager;
import dev.quarry.volume.VolumeManagerConfig;
import dev.quarry.volume.disk.FileDisk;
import dev.quarry.volume.disk.FileDiskOpener;
import dev.quarry.volume.disk.TierClass;
import dev.quarry.volume.pool.DiskSpec;
import dev.quarry.volume.pool.PoolSpec;
import dev.quarry.volume.thin.VolumeSpec;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Starts a real appliance in a test's folder: RocksDB metadata, a pool on a sparse file disk,
 * the iSCSI portal and the admin API on free loopback ports.
 */
public final class ApplianceFixture {

    public static final String POOL = "test";

    private ApplianceFixture() {
    }

    /** Settings for an appliance with its data under {@code data}, listening on free loopback ports. */
    public static ApplianceSettings settings(Path data) {
        return new ApplianceSettings(data, "127.0.0.1", 0, 0, VolumeManagerConfig.DEFAULT);
    }

    /** Creates (idempotently) pool {@link #POOL} on one sparse disk of {@code diskBytes} under {@code data}. */
    public static void pool(VolumeManager volumes, Path data, long diskBytes) throws IOException {
        volumes.pools().createPool(PoolSpec.of(POOL));
        Path disk = data.resolve("disks").resolve("test-0.img");
        if (!Files.exists(disk)) {
            FileDisk.open(disk, FileDisk.Options.buffered(diskBytes)).close();
        }
        volumes.pools().addDisk(POOL, new DiskSpec(FileDiskOpener.locator(disk, false), TierClass.SATA, "local"));
    }

    /** Creates (idempotently) a thin volume in pool {@link #POOL}. */
    public static void volume(VolumeManager volumes, String name, long bytes) {
        volumes.volumes().createVolume(new VolumeSpec(name, bytes, POOL, null));
    }

    /** The portal as {@code host:port}. */
    public static String portal(Appliance appliance) {
        InetSocketAddress address = appliance.iscsi().boundAddresses().get(0);
        return address.getHostString() + ":" + address.getPort();
    }

    /** The libiscsi / QEMU URL of {@code lun} of {@code target}. */
    public static String url(Appliance appliance, String target, int lun) {
        return "iscsi://" + portal(appliance) + "/" + target + "/" + lun;
    }
}
