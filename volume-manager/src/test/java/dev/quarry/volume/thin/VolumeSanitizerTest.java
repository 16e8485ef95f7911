package dev.quarry.volume.thin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quarry.block.BlockVolume;
import dev.quarry.block.LbaStatus;
import dev.quarry.block.SanitizeProgress;
import dev.quarry.block.SanitizeRequest;
import dev.quarry.block.WriteOptions;
import dev.quarry.volume.TestManagers;
import dev.quarry.volume.VolumeManager;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * SANITIZE of a thin volume against real RocksDB and real file disks: afterwards every LBA reads
 * the pattern or zeroes, and the bytes the volume held are gone from the pool's disk files.
 */
@Timeout(120)
class VolumeSanitizerTest {

    /** 320 MiB: more than one sanitize window of 64 Ki blocks. */
    private static final long SIZE = 320L << 20;
    private static final byte[] SECRET = "QUARRY-SECRET-7f3a9c".getBytes(StandardCharsets.US_ASCII);

    @TempDir
    Path dir;
    private VolumeManager manager;
    private BlockVolume volume;

    @BeforeEach
    void open() throws Exception {
        manager = TestManagers.withPool(dir, 2, 48L << 20, TestManagers.manualGc());
        manager.volumes().createVolume(new VolumeSpec("v", SIZE, "p", null));
        volume = manager.volumes().open("v");
    }

    @AfterEach
    void close() {
        manager.close();
    }

    @Test
    void shouldMapEveryBlockToOneStoredPatternAndOverwriteTheReleasedRecords() throws Exception {
        writeSecrets();
        byte[] pattern = new byte[512];
        Arrays.fill(pattern, (byte) 0xA5);
        long[] progress = {0, 0};
        await(volume.sanitize(SanitizeRequest.overwrite(pattern, 2, true), (done, total) -> {
            progress[0] = done;
            progress[1] = total;
        }));
        for (long lba : new long[] {0, 5000, 300_000, volume.blockCount() - 1}) {
            assertThat(read(lba)).as("LBA %d", lba).isEqualTo(pattern);
        }
        assertThat(progress[0]).isPositive().isEqualTo(progress[1]);
        assertThat(secretsOnDisk()).isZero();
        manager.flush();
        assertThat(manager.volumes().statistics("v").mappedBytes()).isEqualTo(SIZE);
        manager.collectGarbage();
        assertThat(manager.pools().statistics("p").usedBytes()).as("one pattern chunk").isLessThan(8192);
        assertThat(manager.fsck().problems()).isEmpty();
    }

    @Test
    void shouldBlockEraseByDeallocatingEverythingAndOverwritingTheReleasedRecords() throws Exception {
        writeSecrets();
        assertThat(secretsOnDisk()).isEqualTo(512);
        await(volume.sanitize(SanitizeRequest.blockErase(), SanitizeProgress.NONE));
        assertThat(read(100)).isEqualTo(new byte[512]);
        assertThat(await(volume.provisioningStatus(0, volume.blockCount())).get(0))
                .isEqualTo(new LbaStatus(0, await(volume.provisioningStatus(0, volume.blockCount())).get(0).blocks(),
                        LbaStatus.State.DEALLOCATED));
        assertThat(secretsOnDisk()).isZero();
        manager.flush();
        assertThat(manager.volumes().statistics("v").mappedBytes()).isZero();
        manager.collectGarbage();
        assertThat(manager.fsck().problems()).isEmpty();
    }

    @Test
    void shouldReplaceAnEarlierSanitizePatternAndEraseItToo() throws Exception {
        byte[] first = Arrays.copyOf(SECRET, 512);
        await(volume.sanitize(SanitizeRequest.overwrite(first, 1, false), SanitizeProgress.NONE));
        assertThat(read(4242)).isEqualTo(first);
        manager.flush();
        assertThat(secretsOnDisk()).isPositive();
        await(volume.sanitize(SanitizeRequest.overwrite(new byte[512], 1, false), SanitizeProgress.NONE));
        assertThat(read(4242)).isEqualTo(new byte[512]);
        assertThat(secretsOnDisk()).isZero();
        manager.collectGarbage();
        assertThat(manager.fsck().problems()).isEmpty();
    }

    /** Writes 512 distinct blocks, each starting with the secret marker, spread over the volume, durably. */
    private void writeSecrets() {
        for (int i = 0; i < 512; i++) {
            byte[] block = new byte[4096];
            System.arraycopy(SECRET, 0, block, 0, SECRET.length);
            block[SECRET.length] = (byte) i;
            block[SECRET.length + 1] = (byte) (i >> 8);
            long lba = (long) i * 1280;
            await(volume.write(lba, Unpooled.wrappedBuffer(block), WriteOptions.FUA));
        }
        manager.flush();
    }

    /** Occurrences of the secret marker in the pool's disk files. */
    private int secretsOnDisk() throws Exception {
        int found = 0;
        for (String name : new String[] {"disk0.img", "disk1.img"}) {
            byte[] bytes = Files.readAllBytes(dir.resolve(name));
            for (int at = 0; at + SECRET.length <= bytes.length; at += 16) {
                if (Arrays.equals(bytes, at, at + SECRET.length, SECRET, 0, SECRET.length)) {
                    found++;
                }
            }
        }
        return found;
    }

    private byte[] read(long lba) {
        ByteBuf buf = await(volume.read(lba, 1));
        try {
            return ByteBufUtil.getBytes(buf);
        } finally {
            buf.release();
        }
    }

    private static <T> T await(java.util.concurrent.CompletableFuture<T> future) {
        return future.orTimeout(60, TimeUnit.SECONDS).join();
    }
}
