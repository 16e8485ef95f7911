package dev.quarry.volume;

import dev.quarry.volume.commit.CommitConfig;
import dev.quarry.volume.disk.DiskOpener;
import dev.quarry.volume.disk.FileDiskOpener;
import dev.quarry.volume.disk.TierClass;
import dev.quarry.volume.gc.GcConfig;
import dev.quarry.volume.meta.store.StoreConfig;
import dev.quarry.volume.pool.DiskSpec;
import dev.quarry.volume.pool.PoolSpec;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** Small, bounded volume managers for tests: 8 MiB caches, file disks created sparse in a temp dir. */
public final class TestManagers {

    public static final int SEGMENT = 1 << 20;

    private TestManagers() {
    }

    public static VolumeManagerConfig config(DiskOpener... extra) {
        List<DiskOpener> openers = new java.util.ArrayList<>(List.of(extra));
        openers.add(new FileDiskOpener());
        return new VolumeManagerConfig(new StoreConfig(8 << 20, 8 << 20, 1), new CommitConfig(2, 4096, 16384),
                new GcConfig(50, 0.25, 0.2, 0.8, 8, 20_000), 4096, 2, openers);
    }

    /** As {@link #config}, with garbage collection only when a test asks for it. */
    public static VolumeManagerConfig manualGc() {
        return config().withGc(new GcConfig(3_600_000, 0.25, 0.2, 0.8, 64, 20_000));
    }

    /** Creates a sparse file of {@code bytes} for a disk. */
    public static Path diskFile(Path dir, String name, long bytes) throws IOException {
        Path file = dir.resolve(name);
        try (var channel = java.nio.channels.FileChannel.open(file, java.nio.file.StandardOpenOption.CREATE_NEW,
                java.nio.file.StandardOpenOption.WRITE)) {
            channel.write(java.nio.ByteBuffer.wrap(new byte[1]), bytes - 1);
        }
        return file;
    }

    /** A manager with one pool "p" (1 MiB segments) of {@code disks} file disks of {@code diskBytes}. */
    public static VolumeManager withPool(Path dir, int disks, long diskBytes) throws IOException {
        return withPool(dir, disks, diskBytes, config());
    }

    public static VolumeManager withPool(Path dir, int disks, long diskBytes, VolumeManagerConfig config) throws IOException {
        VolumeManager manager = VolumeManager.open(dir.resolve("data"), config);
        manager.pools().createPool(new PoolSpec("p", SEGMENT, 80, 95, TierClass.SAS));
        for (int i = 0; i < disks; i++) {
            Path file = diskFile(dir, "disk" + i + ".img", diskBytes);
            manager.pools().addDisk("p", new DiskSpec(FileDiskOpener.locator(file, false), TierClass.SAS, "shelf-" + i));
        }
        return manager;
    }

}
