package dev.quarry.volume.pool;

import static dev.quarry.volume.VolumeTesting.await;
import static dev.quarry.volume.VolumeTesting.buffer;
import static dev.quarry.volume.VolumeTesting.failure;
import static dev.quarry.volume.VolumeTesting.pattern;
import static dev.quarry.volume.VolumeTesting.read;
import static org.assertj.core.api.Assertions.assertThat;

import dev.quarry.block.BlockIoException;
import dev.quarry.block.SenseCode;
import dev.quarry.block.WriteOptions;
import dev.quarry.volume.TestManagers;
import dev.quarry.volume.VolumeManager;
import dev.quarry.volume.disk.DecoratingOpener;
import dev.quarry.volume.disk.DiskState;
import dev.quarry.volume.disk.FaultyDisk;
import dev.quarry.volume.disk.TierClass;
import dev.quarry.volume.thin.ThinVolume;
import dev.quarry.volume.thin.VolumeSpec;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(60)
class DiskFailureTest {

    @TempDir
    Path dir;

    private final DecoratingOpener opener = new DecoratingOpener(FaultyDisk::new);
    private VolumeManager manager;
    private ThinVolume volume;
    private final List<String> locators = new ArrayList<>();

    @BeforeEach
    void open() throws Exception {
        manager = VolumeManager.open(dir.resolve("data"), TestManagers.config(opener));
        manager.pools().createPool(new PoolSpec("p", TestManagers.SEGMENT, 80, 95, TierClass.SAS));
        for (int i = 0; i < 2; i++) {
            String locator = DecoratingOpener.locator(TestManagers.diskFile(dir, "d" + i, 32L << 20));
            locators.add(locator);
            manager.pools().addDisk("p", new DiskSpec(locator, TierClass.SAS, "shelf-" + i));
        }
        manager.volumes().createVolume(new VolumeSpec("v", 16L << 20, "p", null));
        volume = manager.volumes().open("v");
    }

    @AfterEach
    void close() {
        manager.close();
    }

    private FaultyDisk disk(int i) {
        return (FaultyDisk) opener.device(locators.get(i));
    }

    @Test
    void shouldReportMediumErrorForBlocksOnTheFailedDiskOnly() {
        for (int b = 0; b < 32; b++) {
            await(volume.write(b * 8L, buffer(pattern(4096, b)), WriteOptions.FUA));
        }
        disk(0).failAllReads();
        int bad = 0;
        for (int b = 0; b < 32; b++) {
            BlockIoException e = failure(volume.read(b * 8L, 8));
            if (e == null) {
                assertThat(read(volume, b * 8L, 8)).isEqualTo(pattern(4096, b));
            } else {
                bad++;
                assertThat(e.sense()).isEqualTo(SenseCode.UNRECOVERED_READ_ERROR);
                assertThat(e.information()).isEqualTo(b * 8L);
            }
        }
        assertThat(bad).isBetween(1, 31);
        assertThat(manager.pools().statistics("p").disks().get(0).state()).isEqualTo(DiskState.FAILED);
        await(volume.write(0, buffer(pattern(4096, 500)), WriteOptions.FUA));
        assertThat(read(volume, 0, 8)).isEqualTo(pattern(4096, 500));
    }

    @Test
    void shouldAcknowledgeACachedWriteWhileItsDataIsWrittenAndMakeReadsAndFlushesWait() throws Exception {
        writeToBothDisks();
        disk(0).holdWrites();
        disk(1).holdWrites();
        CompletableFuture<ByteBuf> readBack;
        CompletableFuture<Void> flush;
        try {
            volume.write(8, buffer(pattern(4096, 2)), WriteOptions.CACHED).get(10, TimeUnit.SECONDS);
            readBack = volume.read(8, 8);
            flush = volume.flush();
            Thread.sleep(200);
            assertThat(readBack).as("the read waits for the mapping").isNotDone();
            assertThat(flush).as("the flush waits for the acknowledged write").isNotDone();
        } finally {
            disk(0).releaseWrites();
            disk(1).releaseWrites();
        }
        await(flush);
        ByteBuf buf = readBack.get(10, TimeUnit.SECONDS);
        try {
            assertThat(ByteBufUtil.getBytes(buf)).isEqualTo(pattern(4096, 2));
        } finally {
            buf.release();
        }
        manager.close();
        manager = VolumeManager.open(dir.resolve("data"), TestManagers.config(opener));
        volume = manager.volumes().open("v");
        assertThat(read(volume, 8, 8)).as("flushed, so durable").isEqualTo(pattern(4096, 2));
    }

    @Test
    void shouldFailTheNextFlushOnceWhenAnAcknowledgedCachedWriteIsLost() throws Exception {
        writeToBothDisks();
        await(volume.write(8, buffer(pattern(4096, 2)), WriteOptions.FUA));
        disk(0).holdWrites();
        disk(1).holdWrites();
        disk(0).failWrites(true);
        disk(1).failWrites(true);
        CompletableFuture<Void> flush;
        try {
            volume.write(8, buffer(pattern(4096, 3)), WriteOptions.CACHED).get(10, TimeUnit.SECONDS);
            flush = volume.flush();
        } finally {
            disk(0).releaseWrites();
            disk(1).releaseWrites();
        }
        BlockIoException lost = failure(flush);
        assertThat(lost).as("no disk took the acknowledged write").isNotNull();
        assertThat(lost.sense()).isEqualTo(SenseCode.WRITE_ERROR);
        assertThat(read(volume, 8, 8)).as("the block keeps its last written data").isEqualTo(pattern(4096, 2));
        await(volume.flush());
        assertThat(manager.fsck().problems()).isEmpty();
    }

    @Test
    void shouldAcknowledgeCachedWritesToRemoteDisksOnlyOnceWritten() throws Exception {
        writeToBothDisks();
        disk(0).actRemote();
        disk(1).actRemote();
        disk(0).holdWrites();
        disk(1).holdWrites();
        CompletableFuture<Void> write;
        try {
            write = volume.write(8, buffer(pattern(4096, 4)), WriteOptions.CACHED);
            Thread.sleep(200);
            assertThat(write).as("no write-back window over a remote disk").isNotDone();
        } finally {
            disk(0).releaseWrites();
            disk(1).releaseWrites();
        }
        await(write);
        assertThat(read(volume, 8, 8)).isEqualTo(pattern(4096, 4));
    }

    /** Durable writes until both disks have an open segment, so the next small write starts on the caller's thread. */
    private void writeToBothDisks() {
        for (int b = 100; b < 104; b++) {
            await(volume.write(b * 8L, buffer(pattern(4096, b)), WriteOptions.FUA));
        }
    }

    @Test
    void shouldRetryWritesOnHealthyDiskWhenOneRefusesWrites() {
        disk(0).failWrites(true);
        for (int b = 0; b < 16; b++) {
            await(volume.write(b * 8L, buffer(pattern(4096, b)), WriteOptions.CACHED));
        }
        await(volume.flush());
        for (int b = 0; b < 16; b++) {
            assertThat(read(volume, b * 8L, 8)).isEqualTo(pattern(4096, b));
        }
        PoolStatistics stats = manager.pools().statistics("p");
        assertThat(stats.disks().get(0).state()).isEqualTo(DiskState.FAILED);
        assertThat(stats.disks().get(0).writeErrors()).isPositive();
        assertThat(manager.fsck().problems()).isEmpty();
    }

    @Test
    void shouldFailFlushAndDropWritesWhoseDiskFailedItsFdatasync() {
        await(volume.write(0, buffer(pattern(4096, 1)), WriteOptions.FUA));
        disk(0).failFlushes(true);
        disk(1).failFlushes(true);
        BlockIoException e = failure(volume.write(8, buffer(pattern(4096, 2)), WriteOptions.FUA));
        assertThat(e).isNotNull();
        assertThat(e.sense()).isEqualTo(SenseCode.WRITE_ERROR);
        assertThat(read(volume, 0, 8)).isEqualTo(pattern(4096, 1));
    }

    @Test
    void shouldKeepReportingTheFailedDiskAfterRestart() throws Exception {
        disk(1).failWrites(true);
        for (int b = 0; b < 4; b++) {
            await(volume.write(b * 8L, buffer(pattern(4096, 1)), WriteOptions.FUA));
        }
        manager.close();
        manager = VolumeManager.open(dir.resolve("data"), TestManagers.config(opener));
        assertThat(manager.pools().statistics("p").disks().get(1).state()).isEqualTo(DiskState.FAILED);
        assertThat(read(manager.volumes().open("v"), 0, 8)).isEqualTo(pattern(4096, 1));
    }
}
