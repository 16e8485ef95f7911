package dev.quarry.volume.thin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quarry.block.BlockVolume;
import dev.quarry.block.LbaStatus;
import dev.quarry.block.WriteOptions;
import dev.quarry.block.testing.BlockVolumeContract;
import dev.quarry.volume.TestManagers;
import dev.quarry.volume.VolumeManager;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(60)
class ThinVolumeContractTest extends BlockVolumeContract {

    @TempDir
    Path dir;

    private VolumeManager manager;

    @Override
    protected BlockVolume newVolume() throws Exception {
        manager = TestManagers.withPool(dir, 2, 48L << 20);
        manager.volumes().createVolume(new VolumeSpec("v", 32L << 20, "p", null));
        return manager.volumes().open("v");
    }

    @AfterEach
    void closeManager() {
        manager.close();
    }

    @Test
    void shouldReportFourKibPhysicalBlocksAndThinProvisioning() {
        assertThat(volume.blockSize()).isEqualTo(512);
        assertThat(volume.physicalBlockExponent()).isEqualTo(3);
        assertThat(volume.provisioning().thin()).isTrue();
        assertThat(volume.provisioning().unmappedReadsZero()).isTrue();
        assertThat(volume.provisioning().unmapGranularity()).isEqualTo(8);
        assertThat(volume.volatileWriteCache()).isTrue();
        assertThat(volume.atomicWriteLimits().supported()).isTrue();
    }

    @Test
    void shouldReadBackSubBlockWritesMergedIntoTheirBlock() {
        byte[] whole = pattern(4096, 21);
        await(volume.write(16, buffer(whole), WriteOptions.CACHED));
        byte[] part = pattern(3 * 512, 99);
        await(volume.write(19, buffer(part), WriteOptions.CACHED));
        byte[] expected = whole.clone();
        System.arraycopy(part, 0, expected, 3 * 512, part.length);
        assertThat(readBytes(16, 8)).isEqualTo(expected);
    }

    @Test
    void shouldWriteAcrossBlockBoundariesUnaligned() {
        byte[] data = pattern(13 * 512, 5);
        await(volume.write(6, buffer(data), WriteOptions.FUA));
        assertThat(readBytes(6, 13)).isEqualTo(data);
        assertThat(readBytes(0, 6)).containsOnly(0);
        assertThat(readBytes(19, 5)).containsOnly(0);
    }

    @Test
    void shouldAllocateNothingUntilWrittenAndFreeZeroWrites() {
        VolumeStatistics empty = manager.volumes().statistics("v");
        assertThat(empty.mappedBytes()).isZero();
        await(volume.write(0, buffer(pattern(8192, 1)), WriteOptions.FUA));
        assertThat(manager.volumes().statistics("v").mappedBytes()).isEqualTo(8192);
        await(volume.write(0, buffer(new byte[4096]), WriteOptions.FUA));
        assertThat(manager.volumes().statistics("v").mappedBytes()).isEqualTo(4096);
        assertThat(await(volume.provisioningStatus(0, 32))).containsExactly(
                new LbaStatus(0, 8, LbaStatus.State.DEALLOCATED), new LbaStatus(8, 8, LbaStatus.State.MAPPED),
                new LbaStatus(16, 16, LbaStatus.State.DEALLOCATED));
    }

    @Test
    void shouldUnmapAndReadZeroes() {
        await(volume.write(0, buffer(pattern(64 * 512, 3)), WriteOptions.CACHED));
        await(volume.unmap(4, 40));
        byte[] back = readBytes(0, 64);
        byte[] expected = pattern(64 * 512, 3);
        java.util.Arrays.fill(expected, 4 * 512, 44 * 512, (byte) 0);
        assertThat(back).isEqualTo(expected);
        await(volume.flush());
        assertThat(manager.volumes().statistics("v").mappedBytes()).isEqualTo(4 * 4096);
    }

    @Test
    void shouldFreeSpaceWithWriteSameUnmap() {
        await(volume.write(0, buffer(pattern(128 * 512, 3)), WriteOptions.CACHED));
        await(volume.writeSame(0, 128, buffer(new byte[512]), true, WriteOptions.CACHED));
        await(volume.flush());
        assertThat(manager.volumes().statistics("v").mappedBytes()).isZero();
        assertThat(await(volume.provisioningStatus(0, 128))).containsExactly(new LbaStatus(0, 128, LbaStatus.State.DEALLOCATED));
    }

    @Test
    void shouldKeepEverythingAcrossRestart() throws Exception {
        byte[] data = pattern(300 * 512, 77);
        await(volume.write(1000, buffer(data), WriteOptions.CACHED));
        await(volume.flush());
        manager.close();
        manager = VolumeManager.open(dir.resolve("data"), TestManagers.config());
        volume = manager.volumes().open("v");
        assertThat(readBytes(1000, 300)).isEqualTo(data);
        assertThat(manager.fsck().problems()).isEmpty();
    }

    @Test
    void shouldMergePendingAndCommittedMappingsInProvisioningStatus() {
        await(volume.write(0, buffer(pattern(16 * 512, 1)), WriteOptions.FUA));
        await(volume.write(64, buffer(pattern(8 * 512, 2)), WriteOptions.CACHED));
        await(volume.unmap(8, 8));
        assertThat(await(volume.provisioningStatus(4, 100))).containsExactly(
                new LbaStatus(4, 4, LbaStatus.State.MAPPED), new LbaStatus(8, 56, LbaStatus.State.DEALLOCATED),
                new LbaStatus(64, 8, LbaStatus.State.MAPPED), new LbaStatus(72, 32, LbaStatus.State.DEALLOCATED));
        await(volume.flush());
        assertThat(await(volume.provisioningStatus(4, 100))).hasSize(4);
    }

    @Test
    void shouldRefuseAtomicWriteBeyondLimit() {
        int tooMany = (int) volume.atomicWriteLimits().maxBlocks() + 8;
        assertSense(volume.write(0, buffer(new byte[tooMany * 512]), new WriteOptions(false, true)),
                dev.quarry.block.SenseCode.INVALID_FIELD_IN_CDB);
    }
}
