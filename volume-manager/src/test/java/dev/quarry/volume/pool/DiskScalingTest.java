package dev.quarry.volume.pool;

import static dev.quarry.volume.VolumeTesting.await;
import static dev.quarry.volume.VolumeTesting.buffer;
import static dev.quarry.volume.VolumeTesting.pattern;
import static org.assertj.core.api.Assertions.assertThat;

import dev.quarry.block.WriteOptions;
import dev.quarry.volume.TestManagers;
import dev.quarry.volume.VolumeManager;
import dev.quarry.volume.disk.DecoratingOpener;
import dev.quarry.volume.disk.ThrottledDisk;
import dev.quarry.volume.disk.TierClass;
import dev.quarry.volume.thin.ThinVolume;
import dev.quarry.volume.thin.VolumeSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Throughput grows with the number of disks: the same concurrent write load against a pool of
 * bandwidth-limited disks (1 MB/s each, so that the disks and not the
 * shared CPU are the bottleneck, even on a loaded machine), with one disk and with four. Reports
 * the ratio.
 */
@Timeout(120)
class DiskScalingTest {

    private static final Logger LOG = LoggerFactory.getLogger(DiskScalingTest.class);
    private static final long RATE = 1_000_000;
    private static final int WRITES = 96;
    private static final int WRITE_BYTES = 64 << 10;
    private static final int QUEUE_DEPTH = 16;

    @TempDir
    Path dir;

    @Test
    void shouldWriteFasterWithMoreDisks() throws Exception {
        double one = megabytesPerSecond(dir.resolve("one"), 1);
        double four = megabytesPerSecond(dir.resolve("four"), 4);
        double ratio = four / one;
        LOG.info("write throughput with bandwidth-limited disks: 1 disk {} MB/s, 4 disks {} MB/s, ratio {}",
                String.format("%.1f", one), String.format("%.1f", four), String.format("%.2f", ratio));
        assertThat(ratio).isGreaterThan(2.5);
    }

    private double megabytesPerSecond(Path where, int disks) throws Exception {
        java.nio.file.Files.createDirectories(where);
        DecoratingOpener opener = new DecoratingOpener(device -> new ThrottledDisk(device, RATE));
        try (VolumeManager manager = VolumeManager.open(where.resolve("data"), TestManagers.config(opener))) {
            manager.pools().createPool(new PoolSpec("p", 4 << 20, 80, 95, TierClass.SAS));
            for (int i = 0; i < disks; i++) {
                String locator = DecoratingOpener.locator(TestManagers.diskFile(where, "d" + i, 64L << 20));
                manager.pools().addDisk("p", new DiskSpec(locator, TierClass.SAS, "shelf-" + i));
            }
            manager.volumes().createVolume(new VolumeSpec("v", 64L << 20, "p", null));
            ThinVolume volume = manager.volumes().open("v");
            byte[] data = pattern(WRITE_BYTES, 3);
            long start = System.nanoTime();
            List<CompletableFuture<Void>> inFlight = new ArrayList<>();
            for (int i = 0; i < WRITES; i++) {
                if (inFlight.size() == QUEUE_DEPTH) {
                    await(inFlight.remove(0));
                }
                inFlight.add(volume.write((long) i * (WRITE_BYTES / 512), buffer(data), WriteOptions.CACHED));
            }
            inFlight.forEach(f -> await(f));
            await(volume.flush());
            double seconds = (System.nanoTime() - start) / 1e9;
            return (double) WRITES * WRITE_BYTES / seconds / 1e6;
        }
    }
}
