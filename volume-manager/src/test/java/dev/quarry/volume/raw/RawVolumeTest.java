package dev.quarry.volume.raw;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quarry.block.BlockVolume;
import dev.quarry.block.SanitizeProgress;
import dev.quarry.block.SanitizeRequest;
import dev.quarry.block.SenseCode;
import dev.quarry.block.WriteOptions;
import dev.quarry.block.testing.BlockVolumeContract;
import dev.quarry.volume.disk.FileDisk;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RawVolumeTest extends BlockVolumeContract {

    @TempDir
    Path dir;

    @Override
    protected BlockVolume newVolume() throws Exception {
        return new RawVolume(FileDisk.open(dir.resolve("disk.img"), FileDisk.Options.buffered(16 << 20)), false);
    }

    @Test
    void shouldCreateSparseBackingFileOfRequestedSize() throws Exception {
        Path file = dir.resolve("disk.img");
        assertThat(Files.size(file)).isEqualTo(16 << 20);
        assertThat(volume.blockCount()).isEqualTo((16 << 20) / 512);
    }

    @Test
    void shouldKeepDataAcrossReopen() throws Exception {
        byte[] data = pattern(4096, 5);
        await(volume.write(8, buffer(data), WriteOptions.FUA));
        volume.close();
        volume = newVolume();
        assertThat(readBytes(8, 8)).isEqualTo(data);
    }

    @Test
    void shouldOverwriteTheBackingFileInPlaceWhenSanitizing() throws Exception {
        byte[] secret = pattern(64 * 512, 11);
        await(volume.write(100, buffer(secret), WriteOptions.FUA));
        await(volume.sanitize(SanitizeRequest.blockErase(), SanitizeProgress.NONE));
        byte[] file = Files.readAllBytes(dir.resolve("disk.img"));
        assertThat(file).hasSize(16 << 20).containsOnly(0);
        byte[] block = pattern(512, 3);
        await(volume.sanitize(SanitizeRequest.overwrite(block, 3, true), SanitizeProgress.NONE));
        byte[] after = Files.readAllBytes(dir.resolve("disk.img"));
        for (int at = 0; at < after.length; at += 512 * 1024) {
            assertThat(java.util.Arrays.copyOfRange(after, at, at + 512)).isEqualTo(block);
        }
    }

    @Test
    void shouldRefuseToSanitizeWhenReadOnly() throws Exception {
        volume.close();
        volume = new RawVolume(FileDisk.open(dir.resolve("disk.img"), FileDisk.Options.buffered(16 << 20)), true);
        assertSense(volume.sanitize(SanitizeRequest.blockErase(), SanitizeProgress.NONE), SenseCode.WRITE_PROTECTED);
    }

    @Test
    void shouldRefuseWritesWhenReadOnly() throws Exception {
        volume.close();
        volume = new RawVolume(FileDisk.open(dir.resolve("disk.img"), FileDisk.Options.buffered(16 << 20)), true);
        assertSense(volume.write(0, buffer(new byte[512]), WriteOptions.CACHED), SenseCode.WRITE_PROTECTED);
        assertThat(readBytes(0, 1)).containsOnly(0);
    }

    @Test
    void shouldServeOdirectDiskWithFourKibBlocks() throws Exception {
        Path file = dir.resolve("direct.img");
        try (FileDisk disk = FileDisk.open(file, new FileDisk.Options(8 << 20, 4096, true, 2))) {
            RawVolume direct = new RawVolume(disk, false);
            byte[] data = pattern(3 * 4096, 2);
            await(direct.write(5, buffer(data), WriteOptions.FUA));
            var back = await(direct.read(5, 3));
            try {
                assertThat(io.netty.buffer.ByteBufUtil.getBytes(back)).isEqualTo(data);
            } finally {
                back.release();
            }
        }
    }
}
