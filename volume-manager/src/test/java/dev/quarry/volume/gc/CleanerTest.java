package dev.quarry.volume.gc;

import static dev.quarry.volume.VolumeTesting.await;
import static dev.quarry.volume.VolumeTesting.buffer;
import static dev.quarry.volume.VolumeTesting.pattern;
import static dev.quarry.volume.VolumeTesting.read;
import static org.assertj.core.api.Assertions.assertThat;

import dev.quarry.block.WriteOptions;
import dev.quarry.volume.TestManagers;
import dev.quarry.volume.VolumeManager;
import dev.quarry.volume.fsck.FsckReport;
import dev.quarry.volume.pool.PoolStatistics;
import dev.quarry.volume.thin.ThinVolume;
import dev.quarry.volume.thin.VolumeSpec;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(120)
class CleanerTest {

    @TempDir
    Path dir;

    private VolumeManager manager;
    private ThinVolume volume;

    @BeforeEach
    void open() throws Exception {
        manager = TestManagers.withPool(dir, 2, 24L << 20, TestManagers.manualGc());
        manager.volumes().createVolume(new VolumeSpec("v", 16L << 20, "p", null));
        volume = manager.volumes().open("v");
    }

    @AfterEach
    void close() {
        manager.close();
    }

    @Test
    void shouldFreeOverwrittenChunksAndReclaimSparseSegmentsWhileServing() throws Exception {
        for (int round = 0; round < 4; round++) {
            for (int b = 0; b < 512; b += 8) {
                await(volume.write(b * 8L, buffer(pattern(8 * 4096, round * 1000 + b)), WriteOptions.CACHED));
            }
        }
        for (int b = 0; b < 512; b += 2) {
            await(volume.write(b * 8L, buffer(pattern(4096, 7000 + b)), WriteOptions.CACHED));
        }
        await(volume.flush());
        AtomicBoolean stop = new AtomicBoolean();
        CompletableFuture<Void> io = CompletableFuture.runAsync(() -> {
            for (int i = 0; !stop.get() && i < 5000; i++) {
                long block = 600 + (i % 100);
                await(volume.write(block * 8, buffer(pattern(4096, i)), WriteOptions.CACHED));
                assertThat(read(volume, block * 8, 8)).isEqualTo(pattern(4096, i));
            }
        });
        manager.collectGarbage();
        manager.collectGarbage();
        stop.set(true);
        io.get(60, TimeUnit.SECONDS);
        await(volume.flush());
        CleanerStatistics stats = manager.cleanerStatistics();
        assertThat(stats.chunksFreed()).isGreaterThan(1000);
        assertThat(stats.segmentsCleaned()).isPositive();
        assertThat(stats.bytesReclaimed()).isPositive();
        PoolStatistics after = manager.pools().statistics("p");
        assertThat(after.physicalUsedBytes()).as("allocated segments hold little beyond live data and open segments")
                .isLessThanOrEqualTo(2 * after.usedBytes() + 4L * TestManagers.SEGMENT);
        for (int b = 0; b < 512; b++) {
            int expectedSeed = b % 2 == 0 ? 7000 + b : -1;
            byte[] back = read(volume, b * 8L, 8);
            if (expectedSeed >= 0) {
                assertThat(back).isEqualTo(pattern(4096, expectedSeed));
            } else {
                byte[] whole = pattern(8 * 4096, 3000 + (b / 8) * 8);
                assertThat(back).isEqualTo(java.util.Arrays.copyOfRange(whole, (b % 8) * 4096, (b % 8 + 1) * 4096));
            }
        }
        FsckReport report = manager.fsck();
        assertThat(report.problems()).isEmpty();
    }

    @Test
    void shouldFixStaleHintsLazilyAfterRelocation() throws Exception {
        for (int b = 0; b < 1024; b++) {
            await(volume.write(b * 8L, buffer(pattern(4096, b)), WriteOptions.CACHED));
        }
        for (int b = 0; b < 1024; b++) {
            if (b % 5 != 0) {
                await(volume.unmap(b * 8L, 8));
            }
        }
        await(volume.flush());
        manager.collectGarbage();
        manager.collectGarbage();
        long stale = manager.fsck().staleHints();
        assertThat(stale).isPositive();
        assertThat(manager.cleanerStatistics().bytesRelocated()).isPositive();
        for (int b = 2048; b < 3072; b++) {
            await(volume.write(b * 8L, buffer(pattern(4096, b)), WriteOptions.CACHED));
        }
        for (int b = 0; b < 1024; b += 5) {
            assertThat(read(volume, b * 8L, 8)).isEqualTo(pattern(4096, b));
        }
        await(volume.flush());
        assertThat(manager.fsck().staleHints())
                .as("hints whose old copy was overwritten by segment reuse were fixed; the others still read intact copies")
                .isLessThan(stale);
    }
}
