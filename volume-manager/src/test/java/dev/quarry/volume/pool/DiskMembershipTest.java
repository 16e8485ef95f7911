package dev.quarry.volume.pool;

import static dev.quarry.volume.VolumeTesting.await;
import static dev.quarry.volume.VolumeTesting.buffer;
import static dev.quarry.volume.VolumeTesting.pattern;
import static dev.quarry.volume.VolumeTesting.read;
import static org.assertj.core.api.Assertions.assertThat;

import dev.quarry.block.WriteOptions;
import dev.quarry.volume.TestManagers;
import dev.quarry.volume.VolumeManager;
import dev.quarry.volume.disk.DiskLabel;
import dev.quarry.volume.disk.DiskRecord;
import dev.quarry.volume.disk.DiskStatistics;
import dev.quarry.volume.disk.FileDiskOpener;
import dev.quarry.volume.disk.TierClass;
import dev.quarry.volume.thin.ThinVolume;
import dev.quarry.volume.thin.VolumeSpec;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(120)
class DiskMembershipTest {

    @TempDir
    Path dir;

    private VolumeManager manager;
    private ThinVolume volume;

    @BeforeEach
    void open() throws Exception {
        manager = TestManagers.withPool(dir, 2, 24L << 20);
        manager.volumes().createVolume(new VolumeSpec("v", 32L << 20, "p", null));
        volume = manager.volumes().open("v");
    }

    @AfterEach
    void close() {
        manager.close();
    }

    private DiskRecord addDisk(String name) throws Exception {
        Path file = TestManagers.diskFile(dir, name, 24L << 20);
        return manager.pools().addDisk("p", new DiskSpec(FileDiskOpener.locator(file, false), TierClass.SAS, name));
    }

    @Test
    void shouldSpreadWritesToADiskAddedWhileServing() throws Exception {
        for (int b = 0; b < 64; b++) {
            await(volume.write(b * 8L, buffer(pattern(4096, b)), WriteOptions.CACHED));
        }
        DiskRecord added = addDisk("late");
        for (int b = 64; b < 256; b++) {
            await(volume.write(b * 8L, buffer(pattern(4096, b)), WriteOptions.CACHED));
        }
        await(volume.flush());
        DiskStatistics late = manager.pools().statistics("p").disks().stream()
                .filter(d -> d.diskId() == added.id()).findFirst().orElseThrow();
        assertThat(late.liveBytes()).isPositive();
        for (int b = 0; b < 256; b++) {
            assertThat(read(volume, b * 8L, 8)).isEqualTo(pattern(4096, b));
        }
    }

    @Test
    void shouldServeFromODirectDisksWithFourKibDeviceBlocks() throws Exception {
        manager.pools().createPool(new PoolSpec("direct", TestManagers.SEGMENT, 80, 95, TierClass.FC));
        Path file = TestManagers.diskFile(dir, "direct.img", 16L << 20);
        manager.pools().addDisk("direct", new DiskSpec(FileDiskOpener.locator(file, true), TierClass.FC, "ssd"));
        manager.volumes().createVolume(new VolumeSpec("fast", 8L << 20, "direct", null));
        ThinVolume fast = manager.volumes().open("fast");
        await(fast.write(3, buffer(pattern(5 * 512, 9)), WriteOptions.FUA));
        await(fast.write(64, buffer(pattern(40 * 4096, 10)), WriteOptions.CACHED));
        await(fast.flush());
        manager.close();
        manager = VolumeManager.open(dir.resolve("data"), TestManagers.config());
        fast = manager.volumes().open("fast");
        assertThat(read(fast, 3, 5)).isEqualTo(pattern(5 * 512, 9));
        assertThat(read(fast, 64, 320)).isEqualTo(pattern(40 * 4096, 10));
        assertThat(manager.fsck().problems()).isEmpty();
    }

    @Test
    void shouldRelabelADiskWhoseAddWasInterruptedButRefuseForeignLabels() throws Exception {
        Path file = TestManagers.diskFile(dir, "interrupted", 24L << 20);
        java.util.UUID pool = manager.pools().pool("p").orElseThrow().uuid();
        writeLabel(file, new DiskLabel(999, pool, java.util.UUID.randomUUID(), TierClass.SAS, TestManagers.SEGMENT, 23));
        DiskRecord added = manager.pools().addDisk("p", new DiskSpec(FileDiskOpener.locator(file, false), TierClass.SAS, "x"));
        assertThat(added.id()).isNotEqualTo(999);
        Path foreign = TestManagers.diskFile(dir, "foreign", 24L << 20);
        writeLabel(foreign, new DiskLabel(5, java.util.UUID.randomUUID(), java.util.UUID.randomUUID(), TierClass.SAS,
                TestManagers.SEGMENT, 23));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> manager.pools().addDisk("p",
                new DiskSpec(FileDiskOpener.locator(foreign, false), TierClass.SAS, "x"))).isInstanceOf(IllegalStateException.class);
    }

    private static void writeLabel(Path file, DiskLabel label) throws Exception {
        io.netty.buffer.ByteBuf bytes = label.encode();
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.write(bytes.nioBuffer(), 0);
        } finally {
            bytes.release();
        }
    }

    @Test
    void shouldRecogniseAnAddedDiskByItsLabel() throws Exception {
        Path file = TestManagers.diskFile(dir, "labelled", 24L << 20);
        DiskSpec spec = new DiskSpec(FileDiskOpener.locator(file, false), TierClass.SATA, "x");
        DiskRecord first = manager.pools().addDisk("p", spec);
        assertThat(manager.pools().addDisk("p", spec)).isEqualTo(first);
        ByteBuffer label = ByteBuffer.allocate(DiskLabel.LENGTH);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            channel.read(label, 0);
        }
        DiskLabel decoded = DiskLabel.decode(io.netty.buffer.Unpooled.wrappedBuffer(label.flip()));
        assertThat(decoded.diskUuid()).isEqualTo(first.uuid());
        assertThat(decoded.tier()).isEqualTo(TierClass.SATA);
    }

    @Test
    void shouldDrainARemovedDiskWhileWritesGoOn() throws Exception {
        for (int b = 0; b < 512; b++) {
            await(volume.write(b * 8L, buffer(pattern(4096, b)), WriteOptions.CACHED));
        }
        await(volume.flush());
        int victim = manager.pools().statistics("p").disks().get(0).diskId();
        AtomicBoolean stop = new AtomicBoolean();
        CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
            for (int b = 1000; !stop.get() && b < 3000; b++) {
                await(volume.write(b * 8L, buffer(pattern(4096, b)), WriteOptions.CACHED));
            }
        });
        Job job = manager.pools().removeDisk("p", victim);
        if (job.state() == Job.State.RUNNING) {
            assertThat(manager.pools().removeDisk("p", victim)).as("removing it again returns the running drain").isSameAs(job);
            assertThat(manager.runningJobs()).contains(job);
        }
        List<Double> progress = new ArrayList<>();
        while (!job.completion().isDone()) {
            progress.add(job.percent());
            Thread.sleep(20);
        }
        job.completion().get(60, TimeUnit.SECONDS);
        stop.set(true);
        writer.get(60, TimeUnit.SECONDS);
        assertThat(job.state()).isEqualTo(Job.State.SUCCEEDED);
        assertThat(job.percent()).isEqualTo(100.0);
        assertThat(job.bytesDone()).isPositive();
        assertThat(job.bytesPerSecond()).isPositive();
        assertThat(manager.pools().statistics("p").disks()).noneMatch(d -> d.diskId() == victim);
        for (int b = 0; b < 512; b++) {
            assertThat(read(volume, b * 8L, 8)).isEqualTo(pattern(4096, b));
        }
        assertThat(manager.fsck().problems()).isEmpty();
        manager.close();
        manager = VolumeManager.open(dir.resolve("data"), TestManagers.config());
        volume = manager.volumes().open("v");
        assertThat(read(volume, 8, 8)).isEqualTo(pattern(4096, 1));
        assertThat(manager.fsck().problems()).isEmpty();
    }
}
