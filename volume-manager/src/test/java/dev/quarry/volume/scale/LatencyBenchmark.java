package dev.quarry.volume.scale;

import dev.quarry.block.WriteOptions;
import dev.quarry.volume.TestManagers;
import dev.quarry.volume.VolumeManager;
import dev.quarry.volume.VolumeManagerConfig;
import dev.quarry.volume.disk.FileDiskOpener;
import dev.quarry.volume.disk.TierClass;
import dev.quarry.volume.pool.DiskSpec;
import dev.quarry.volume.pool.PoolSpec;
import dev.quarry.volume.thin.ThinVolume;
import dev.quarry.volume.thin.VolumeSpec;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Queue-depth-1 latency of 4 KiB random writes (cached and FUA) and reads on one buffered file
 * disk, default configuration: {@code java ... dev.quarry.volume.scale.LatencyBenchmark DIR}.
 * A shape check for the data path, not the end-to-end benchmark (that is the perf module's).
 */
public final class LatencyBenchmark {

    private static final Logger LOG = LoggerFactory.getLogger(LatencyBenchmark.class);
    private static final int OPS = 20_000;
    private static final long BLOCKS = 65_536;

    private LatencyBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        Files.createDirectories(dir);
        Path disk = TestManagers.diskFile(dir, "disk.img", 2L << 30);
        try (VolumeManager manager = VolumeManager.open(dir.resolve("data"), VolumeManagerConfig.DEFAULT)) {
            manager.pools().createPool(PoolSpec.of("p"));
            manager.pools().addDisk("p", new DiskSpec(FileDiskOpener.locator(disk, false), TierClass.SAS, "local"));
            manager.volumes().createVolume(new VolumeSpec("v", BLOCKS * 4096, "p", null));
            ThinVolume volume = manager.volumes().open("v");
            run("write 4k cached", volume, WriteOptions.CACHED, true);
            run("write 4k cached", volume, WriteOptions.CACHED, true);
            run("write 4k FUA", volume, WriteOptions.FUA, true);
            run("read 4k", volume, null, false);
        } finally {
            Files.deleteIfExists(disk);
        }
    }

    private static void run(String what, ThinVolume volume, WriteOptions options, boolean write) {
        Random random = new Random(1);
        long[] nanos = new long[OPS];
        for (int i = 0; i < OPS; i++) {
            long lba = (random.nextLong(BLOCKS)) * 8;
            long start = System.nanoTime();
            if (write) {
                ByteBuf data = ByteBufAllocator.DEFAULT.directBuffer(4096).writeLong(i + 1).writeZero(4088);
                volume.write(lba, data, options).join();
            } else {
                volume.read(lba, 8).join().release();
            }
            nanos[i] = System.nanoTime() - start;
        }
        Arrays.sort(nanos);
        LOG.info("{}: p50 {} us, p99 {} us, mean {} us", what, nanos[OPS / 2] / 1000, nanos[OPS * 99 / 100] / 1000,
                Arrays.stream(nanos).sum() / OPS / 1000);
    }
}
