package dev.quarry.volume.gc;

import static dev.quarry.volume.VolumeTesting.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.quarry.block.WriteOptions;
import dev.quarry.volume.TestManagers;
import dev.quarry.volume.VolumeManager;
import dev.quarry.volume.disk.FileDiskOpener;
import dev.quarry.volume.disk.TierClass;
import dev.quarry.volume.pool.DiskSpec;
import dev.quarry.volume.pool.PoolSpec;
import dev.quarry.volume.pool.PoolStatistics;
import dev.quarry.volume.thin.ThinVolume;
import dev.quarry.volume.thin.VolumeSpec;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Overwrite-heavy load against a pool of about twice the volume's size, with the production
 * garbage-collection settings: four writers at queue depth 8 fill a volume of S, then overwrite
 * it seven more times, alternating random (4–64 KiB) and sequential (64 KiB–1 MiB) passes. No
 * write may fail, every block must read back its last version, fsck must be clean. Logs the
 * figures (write rate, reclamation rate, write amplification of the cleaner).
 * {@code -Dquarry.overwrite.mib=N} and {@code -Dquarry.overwrite.passes=N} change the size.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class SustainedOverwriteTest {

    private static final Logger LOG = LoggerFactory.getLogger(SustainedOverwriteTest.class);
    private static final long VOLUME_BYTES = Long.getLong("quarry.overwrite.mib", 64) << 20;
    private static final int PASSES = Integer.getInteger("quarry.overwrite.passes", 8);
    private static final int SEGMENT = 2 << 20;
    private static final int BLOCK = 4096;
    private static final int WRITERS = 4;
    private static final int DEPTH = 8;

    @TempDir
    Path dir;

    @Test
    void shouldOverwriteAVolumeManyTimesInAPoolOfTwiceItsSizeWithoutAFailedWrite() throws Exception {
        VolumeManager manager = VolumeManager.open(dir.resolve("data"), TestManagers.config().withGc(GcConfig.DEFAULT));
        try {
            manager.pools().createPool(new PoolSpec("p", SEGMENT, 80, 95, TierClass.SAS));
            Path file = TestManagers.diskFile(dir, "disk.img", 2 * VOLUME_BYTES + (1 << 20));
            manager.pools().addDisk("p", new DiskSpec(FileDiskOpener.locator(file, false), TierClass.SAS, "shelf"));
            manager.volumes().createVolume(new VolumeSpec("v", VOLUME_BYTES, "p", null));
            ThinVolume volume = manager.volumes().open("v");
            int blocks = (int) (VOLUME_BYTES / BLOCK);
            long[] expected = new long[blocks];
            AtomicReference<String> firstFailure = new AtomicReference<>();
            long start = System.nanoTime();
            int pass = 0;
            for (; pass < PASSES && firstFailure.get() == null; pass++) {
                runPass(volume, pass, expected, firstFailure);
            }
            await(volume.flush());
            double seconds = (System.nanoTime() - start) / 1e9;
            report(manager, pass, seconds);
            assertThat(firstFailure.get()).as("first failed write").isNull();
            verify(volume, expected);
            assertThat(manager.fsck().problems()).isEmpty();
        } finally {
            manager.close();
        }
    }

    /** One pass over the whole volume: each writer covers its quarter, sequentially or at random. */
    private static void runPass(ThinVolume volume, int pass, long[] expected, AtomicReference<String> firstFailure)
            throws InterruptedException {
        List<Thread> writers = new ArrayList<>();
        int per = expected.length / WRITERS;
        long start = System.nanoTime();
        for (int w = 0; w < WRITERS; w++) {
            int from = w * per;
            int seed = pass * WRITERS + w;
            writers.add(Thread.ofPlatform().name("writer-" + w).start(() ->
                    writeQuarter(volume, pass, from, per, new Random(seed), expected, firstFailure)));
        }
        for (Thread w : writers) {
            assertThat(w.join(Duration.ofMinutes(5))).as("writer finished").isTrue();
        }
        LOG.info("pass {} ({}) took {} ms", pass, pass % 2 == 0 ? "sequential" : "random",
                (System.nanoTime() - start) / 1_000_000);
    }

    private static void writeQuarter(ThinVolume volume, int pass, int from, int count, Random random, long[] expected,
                                     AtomicReference<String> firstFailure) {
        boolean sequential = pass % 2 == 0;
        Semaphore window = new Semaphore(DEPTH);
        long written = 0;
        int next = from;
        while (written < (long) count * BLOCK && firstFailure.get() == null) {
            int n;
            int at;
            if (sequential) {
                n = Math.min(16 << random.nextInt(3), from + count - next);
                at = next;
                next += n;
            } else {
                n = 1 + random.nextInt(16);
                at = from + random.nextInt(count - n);
            }
            long version = pass * 1_000_000_000L + at;
            for (int b = 0; b < n; b++) {
                expected[at + b] = version;
            }
            window.acquireUninterruptibly();
            int first = at;
            volume.write((long) at * 8, stamped(at, n, version), WriteOptions.CACHED).whenComplete((ok, failure) -> {
                window.release();
                if (failure != null) {
                    firstFailure.compareAndSet(null, "pass " + pass + ", blocks " + first + "+" + n + ": " + failure);
                }
            });
            written += (long) n * BLOCK;
        }
        window.acquireUninterruptibly(DEPTH);
    }

    /** Blocks [first, first + n) stamped with their number and {@code version}: never all zero. */
    private static ByteBuf stamped(int first, int n, long version) {
        ByteBuf buf = ByteBufAllocator.DEFAULT.directBuffer(n * BLOCK);
        for (int b = 0; b < n; b++) {
            long x = (first + b) * 0x9E3779B97F4A7C15L ^ version;
            buf.writeLong(first + b).writeLong(version);
            for (int i = 16; i < BLOCK; i += 8) {
                buf.writeLong(x + i);
            }
        }
        return buf;
    }

    private static void verify(ThinVolume volume, long[] expected) {
        int piece = 256;
        for (int first = 0; first < expected.length; first += piece) {
            ByteBuf data = await(volume.read((long) first * 8, piece * 8));
            try {
                for (int b = 0; b < piece; b++) {
                    int at = data.readerIndex() + b * BLOCK;
                    assertThat(data.getLong(at)).as("block number in block %d", first + b).isEqualTo(first + b);
                    assertThat(data.getLong(at + 8)).as("version of block %d", first + b).isEqualTo(expected[first + b]);
                }
            } finally {
                data.release();
            }
        }
    }

    private static void report(VolumeManager manager, int passes, double seconds) {
        CleanerStatistics gc = manager.cleanerStatistics();
        PoolStatistics pool = manager.pools().statistics("p");
        double written = passes * (double) VOLUME_BYTES;
        LOG.info("sustained overwrite: {} passes of {} MiB in a pool of {} MiB in {} s: writes {} MiB/s, reclaimed {} MiB/s "
                        + "({} segments), relocated {} MiB (write amplification {}), {} chunks freed; live {} MiB, allocated {} MiB",
                passes, VOLUME_BYTES >> 20, pool.capacityBytes() >> 20, String.format("%.1f", seconds),
                String.format("%.1f", written / seconds / (1 << 20)),
                String.format("%.1f", gc.bytesReclaimed() / seconds / (1 << 20)), gc.segmentsCleaned(),
                gc.bytesRelocated() >> 20, String.format("%.2f", (written + gc.bytesRelocated()) / written),
                gc.chunksFreed(), pool.usedBytes() >> 20, pool.physicalUsedBytes() >> 20);
    }
}
