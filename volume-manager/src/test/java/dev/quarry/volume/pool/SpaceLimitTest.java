package dev.quarry.volume.pool;

import static dev.quarry.volume.VolumeTesting.await;
import static dev.quarry.volume.VolumeTesting.buffer;
import static dev.quarry.volume.VolumeTesting.failure;
import static dev.quarry.volume.VolumeTesting.pattern;
import static dev.quarry.volume.VolumeTesting.read;
import static org.assertj.core.api.Assertions.assertThat;

import dev.quarry.block.BlockIoException;
import dev.quarry.block.SenseCode;
import dev.quarry.block.VolumeEvent;
import dev.quarry.block.WriteOptions;
import dev.quarry.volume.TestManagers;
import dev.quarry.volume.VolumeManager;
import dev.quarry.volume.disk.FileDiskOpener;
import dev.quarry.volume.disk.TierClass;
import dev.quarry.volume.thin.ThinVolume;
import dev.quarry.volume.thin.VolumeSpec;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(60)
class SpaceLimitTest {

    @TempDir
    Path dir;

    private VolumeManager manager;
    private ThinVolume volume;
    private final List<VolumeEvent> events = new CopyOnWriteArrayList<>();

    @BeforeEach
    void open() throws Exception {
        manager = VolumeManager.open(dir.resolve("data"), TestManagers.config());
        manager.pools().createPool(new PoolSpec("p", TestManagers.SEGMENT, 20, 40, TierClass.SAS));
        Path file = TestManagers.diskFile(dir, "d0", 11L << 20);
        manager.pools().addDisk("p", new DiskSpec(FileDiskOpener.locator(file, false), TierClass.SAS, "shelf"));
        manager.volumes().createVolume(new VolumeSpec("v", 64L << 20, "p", null));
        volume = manager.volumes().open("v");
        volume.subscribe(events::add);
    }

    @AfterEach
    void close() {
        manager.close();
    }

    /** Writes 64 KiB pieces until the pool refuses; returns how many were written. */
    private int fillUntilRefused() {
        for (int i = 0; i < 1000; i++) {
            BlockIoException e = failure(volume.write(i * 128L, buffer(pattern(65536, i)), WriteOptions.CACHED));
            if (e != null) {
                assertThat(e.sense()).isEqualTo(SenseCode.SPACE_ALLOCATION_FAILED);
                return i;
            }
        }
        throw new AssertionError("the pool never filled");
    }

    @Test
    void shouldFailOnlyWritesNeedingSpaceAtTheHardLimit() {
        int written = fillUntilRefused();
        PoolStatistics stats = manager.pools().statistics("p");
        assertThat(stats.usedBytes()).isLessThanOrEqualTo(stats.hardLimitBytes());
        assertThat(written).isPositive();
        assertThat(read(volume, 0, 128)).isEqualTo(pattern(65536, 0));
        await(volume.write(128, buffer(new byte[65536]), WriteOptions.FUA));
        await(volume.unmap(256, 128L * (written - 2)));
        assertThat(read(volume, 128, 128)).containsOnly(0);
        await(volume.flush());
        manager.collectGarbage();
        assertThat(manager.pools().statistics("p").usedBytes()).isLessThan(stats.usedBytes());
        await(volume.write(1000 * 128L, buffer(pattern(65536, 7)), WriteOptions.FUA));
        assertThat(read(volume, 1000 * 128L, 128)).isEqualTo(pattern(65536, 7));
        assertThat(manager.fsck().problems()).isEmpty();
    }

    @Test
    void shouldRefuseOnlyNewDataWhenLiveDataFillsThePoolAndAdmitItAgainAfterUnmap() {
        int written = fillUntilRefused();
        PoolStatistics full = manager.pools().statistics("p");
        assertThat(full.usedBytes()).as("live bytes reach the hard limit")
                .isGreaterThan(full.hardLimitBytes() - 2 * 16 * 4128L).isLessThanOrEqualTo(full.hardLimitBytes());
        assertThat(written).isGreaterThan(8);
        for (int round = 0; round < 40; round++) {
            int piece = round % 8;
            await(volume.write(piece * 128L, buffer(pattern(65536, 5000 + round)), WriteOptions.CACHED));
            assertThat(read(volume, piece * 128L, 128)).as("overwrite %d", round).isEqualTo(pattern(65536, 5000 + round));
        }
        BlockIoException refused = failure(volume.write(1000 * 128L, buffer(pattern(65536, 1)), WriteOptions.CACHED));
        assertThat(refused).as("new data in a full pool").isNotNull();
        assertThat(refused.sense()).isEqualTo(SenseCode.SPACE_ALLOCATION_FAILED);
        assertThat(read(volume, (written - 1) * 128L, 128)).isEqualTo(pattern(65536, written - 1));
        await(volume.unmap(128L * (written - 4), 128L * 4));
        await(volume.write(1000 * 128L, buffer(pattern(65536, 2)), WriteOptions.CACHED));
        await(volume.write(1001 * 128L, buffer(pattern(65536, 3)), WriteOptions.FUA));
        assertThat(read(volume, 1000 * 128L, 256)).isEqualTo(concat(pattern(65536, 2), pattern(65536, 3)));
        await(volume.flush());
        assertThat(manager.fsck().problems()).isEmpty();
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] both = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, both, a.length, b.length);
        return both;
    }

    @Test
    void shouldSignalSoftThresholdOncePerCrossing() throws Exception {
        fillUntilRefused();
        Thread.sleep(200);
        assertThat(events).containsExactly(VolumeEvent.SOFT_THRESHOLD_REACHED);
    }

    @Test
    void shouldSignalCapacityChangeWhenGrown() throws Exception {
        manager.volumes().grow("v", 128L << 20);
        Thread.sleep(100);
        assertThat(events).containsExactly(VolumeEvent.CAPACITY_CHANGED);
        assertThat(volume.blockCount()).isEqualTo((128L << 20) / 512);
    }
}
