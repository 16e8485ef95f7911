package dev.quarry.volume;

import static dev.quarry.volume.VolumeTesting.await;
import static dev.quarry.volume.VolumeTesting.buffer;
import static dev.quarry.volume.VolumeTesting.pattern;
import static dev.quarry.volume.VolumeTesting.read;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.quarry.block.BlockVolume;
import dev.quarry.block.SenseCode;
import dev.quarry.block.WriteOptions;
import dev.quarry.volume.disk.TierClass;
import dev.quarry.volume.pool.PoolRecord;
import dev.quarry.volume.pool.PoolSpec;
import dev.quarry.volume.thin.VolumeRecord;
import dev.quarry.volume.thin.VolumeSpec;
import java.nio.file.Path;
import java.util.NoSuchElementException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(60)
class VolumeManagerTest {

    @TempDir
    Path dir;

    private VolumeManager manager;

    @BeforeEach
    void open() throws Exception {
        manager = TestManagers.withPool(dir, 2, 24L << 20);
    }

    @AfterEach
    void close() {
        assertThat(manager.store().openResources()).as("RocksDB iterators and snapshots left open").isZero();
        manager.close();
    }

    private void reopen() {
        manager.close();
        manager = VolumeManager.open(dir.resolve("data"), TestManagers.config());
    }

    @Test
    void shouldKeepPoolsDisksAndVolumeDefinitionsAcrossRestart() {
        VolumeRecord created = manager.volumes().createVolume(new VolumeSpec("vm-disk-1", 8L << 20, "p", TierClass.SAS));
        PoolRecord pool = manager.pools().pool("p").orElseThrow();
        reopen();
        assertThat(manager.pools().pool("p")).contains(pool);
        assertThat(manager.pools().statistics("p").disks()).hasSize(2);
        VolumeRecord again = manager.volumes().volume("vm-disk-1").orElseThrow();
        assertThat(again).isEqualTo(created);
        assertThat(again.uuid()).isEqualTo(created.uuid());
        assertThat(again.createdMillis()).isPositive();
    }

    @Test
    void shouldCreateIdempotentlyByNameAndRefuseConflicts() {
        VolumeSpec spec = new VolumeSpec("v", 8L << 20, "p", null);
        VolumeRecord first = manager.volumes().createVolume(spec);
        assertThat(manager.volumes().createVolume(spec)).isEqualTo(first);
        assertThatThrownBy(() -> manager.volumes().createVolume(new VolumeSpec("v", 16L << 20, "p", null)))
                .isInstanceOf(IllegalStateException.class);
        PoolRecord pool = manager.pools().pool("p").orElseThrow();
        assertThat(manager.pools().createPool(new PoolSpec("p", TestManagers.SEGMENT, 80, 95, TierClass.SAS))).isEqualTo(pool);
        assertThatThrownBy(() -> manager.pools().createPool(PoolSpec.of("p"))).isInstanceOf(IllegalStateException.class);
        assertThat(manager.volumes().listVolumes()).containsExactly(first);
    }

    @Test
    void shouldValidateNames() {
        assertThatThrownBy(() -> new VolumeSpec("", 4096, "p", null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new VolumeSpec("-x", 4096, "p", null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new VolumeSpec("a/b", 4096, "p", null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new VolumeSpec("x".repeat(65), 4096, "p", null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new VolumeSpec("ok", 4095, "p", null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PoolSpec.of("bad name")).isInstanceOf(IllegalArgumentException.class);
        assertThat(new VolumeSpec("db-01.data_2", 4096, "p", null).name()).isEqualTo("db-01.data_2");
    }

    @Test
    void shouldDeleteAVolumeAndReleaseItsChunks() {
        manager.volumes().createVolume(new VolumeSpec("doomed", 8L << 20, "p", null));
        manager.volumes().createVolume(new VolumeSpec("kept", 8L << 20, "p", null));
        BlockVolume doomed = manager.volumes().open("doomed");
        BlockVolume kept = manager.volumes().open("kept");
        await(doomed.write(0, buffer(pattern(1 << 20, 1)), WriteOptions.CACHED));
        await(kept.write(0, buffer(pattern(65536, 2)), WriteOptions.CACHED));
        await(kept.flush());
        long usedBefore = manager.pools().statistics("p").usedBytes();
        manager.volumes().deleteVolume("doomed");
        assertThat(VolumeTesting.failure(doomed.read(0, 8)).sense()).isEqualTo(SenseCode.NOT_READY);
        manager.collectGarbage();
        assertThat(manager.pools().statistics("p").usedBytes()).isLessThan(usedBefore - (1 << 20));
        assertThat(manager.volumes().volume("doomed")).isEmpty();
        assertThat(read(kept, 0, 128)).isEqualTo(pattern(65536, 2));
        assertThat(manager.fsck().problems()).isEmpty();
        reopen();
        assertThat(manager.volumes().volume("doomed")).isEmpty();
        assertThat(manager.fsck().problems()).isEmpty();
    }

    @Test
    void shouldHandOutAFreshHandleAfterTheExporterClosedIt() {
        manager.volumes().createVolume(new VolumeSpec("v", 8L << 20, "p", null));
        BlockVolume first = manager.volumes().open("v");
        await(first.write(0, buffer(pattern(4096, 3)), WriteOptions.CACHED));
        first.close();
        assertThat(VolumeTesting.failure(first.read(0, 8)).sense()).isEqualTo(SenseCode.NOT_READY);
        BlockVolume second = manager.volumes().open("v");
        assertThat(second).isNotSameAs(first);
        assertThat(read(second, 0, 8)).isEqualTo(pattern(4096, 3));
        assertThat(manager.volumes().open("v")).isSameAs(second);
    }

    @Test
    void shouldSayNoSuchElementForAnUnknownVolume() {
        assertThatThrownBy(() -> manager.volumes().open("ghost")).isInstanceOf(NoSuchElementException.class);
        assertThatThrownBy(() -> manager.volumes().statistics("ghost")).isInstanceOf(NoSuchElementException.class);
        assertThatThrownBy(() -> manager.volumes().grow("ghost", 8L << 20)).isInstanceOf(NoSuchElementException.class);
        assertThatThrownBy(() -> manager.volumes().deleteVolume("ghost")).isInstanceOf(NoSuchElementException.class);
    }

    @Test
    void shouldNotMapAnythingOnCreation() {
        manager.volumes().createVolume(new VolumeSpec("huge", 1L << 40, "p", null));
        assertThat(manager.volumes().statistics("huge").mappedBytes()).isZero();
        assertThat(manager.pools().statistics("p").usedBytes()).isZero();
        assertThat(read(manager.volumes().open("huge"), (1L << 40) / 512 - 8, 8)).containsOnly(0);
    }

    @Test
    void shouldDeleteAnEmptyPoolAndReleaseItsDisks() throws Exception {
        manager.pools().createPool(new PoolSpec("q", TestManagers.SEGMENT, 80, 95, TierClass.SATA));
        Path file = TestManagers.diskFile(dir, "q0.img", 24L << 20);
        String locator = dev.quarry.volume.disk.FileDiskOpener.locator(file, false);
        manager.pools().addDisk("q", new dev.quarry.volume.pool.DiskSpec(locator, TierClass.SATA, "shelf-q"));
        manager.volumes().createVolume(new VolumeSpec("in-q", 8L << 20, "q", null));
        await(manager.volumes().open("in-q").write(0, buffer(pattern(1 << 20, 3)), WriteOptions.FUA));

        assertThatThrownBy(() -> manager.pools().deletePool("q")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("volumes");
        assertThat(manager.pools().pool("q")).as("a refused delete leaves the pool").isPresent();
        manager.volumes().deleteVolume("in-q");
        manager.collectGarbage();
        manager.pools().deletePool("q");
        assertThat(manager.pools().pool("q")).isEmpty();
        assertThatThrownBy(() -> manager.volumes().createVolume(new VolumeSpec("late", 8L << 20, "q", null)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(manager.fsck().problems()).isEmpty();

        reopen();
        assertThat(manager.pools().pool("q")).isEmpty();
        manager.pools().createPool(new PoolSpec("r", TestManagers.SEGMENT, 80, 95, TierClass.SATA));
        manager.pools().addDisk("r", new dev.quarry.volume.pool.DiskSpec(locator, TierClass.SATA, "shelf-q"));
        assertThat(manager.pools().disks("r")).as("the released disk joins another pool").hasSize(1);
        assertThat(manager.fsck().problems()).isEmpty();
    }
}
