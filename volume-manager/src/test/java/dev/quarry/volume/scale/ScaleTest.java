package dev.quarry.volume.scale;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quarry.block.WriteOptions;
import dev.quarry.volume.TestManagers;
import dev.quarry.volume.VolumeManager;
import dev.quarry.volume.VolumeManagerConfig;
import dev.quarry.volume.disk.FileDiskOpener;
import dev.quarry.volume.disk.TierClass;
import dev.quarry.volume.meta.schema.ColumnFamilyDefinition;
import dev.quarry.volume.meta.schema.Schema;
import dev.quarry.volume.meta.store.MetadataStore;
import dev.quarry.volume.pool.DiskSpec;
import dev.quarry.volume.pool.PoolSpec;
import dev.quarry.volume.thin.ThinVolume;
import dev.quarry.volume.thin.VolumeSpec;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fills a volume sequentially with 1 MiB writes and reports the RocksDB bytes per mapped 4 KiB
 * block after compaction (RocksDB's own {@code rocksdb.total-sst-files-size}) and the process's
 * resident memory. Runs at 64 MiB in the normal suite; {@code -Dquarry.scale.mib=4096} runs the
 * 4 GiB measurement of docs/chunk-store.md (needs about 4.3 GiB of free disk, cleaned up after).
 */
@Timeout(value = 30, unit = TimeUnit.MINUTES)
class ScaleTest {

    private static final Logger LOG = LoggerFactory.getLogger(ScaleTest.class);
    private static final long MIB = Long.getLong("quarry.scale.mib", 64);
    private static final int WRITE = 1 << 20;
    private static final int QUEUE_DEPTH = 8;

    @TempDir
    Path dir;

    @Test
    void shouldKeepMetadataUnderThirtyTwoBytesPerMappedBlock() throws Exception {
        long bytes = MIB << 20;
        long diskBytes = bytes + bytes / 16 + (256L << 20);
        Path disk = TestManagers.diskFile(dir, "disk.img", diskBytes);
        VolumeManagerConfig config = VolumeManagerConfig.DEFAULT;
        long start = System.nanoTime();
        try (VolumeManager manager = VolumeManager.open(dir.resolve("data"), config)) {
            manager.pools().createPool(PoolSpec.of("p"));
            manager.pools().addDisk("p", new DiskSpec(FileDiskOpener.locator(disk, false), TierClass.SAS, "local"));
            manager.volumes().createVolume(new VolumeSpec("v", bytes, "p", null));
            ThinVolume volume = manager.volumes().open("v");
            fill(volume, bytes);
            double seconds = (System.nanoTime() - start) / 1e9;
            long rssAfterWrite = residentBytes();
            MetadataStore store = manager.store();
            long sst = 0;
            StringBuilder perFamily = new StringBuilder();
            for (ColumnFamilyDefinition<?, ?> family : Schema.ALL) {
                store.compact(family);
                long size = store.property(family, "rocksdb.total-sst-files-size");
                sst += size;
                perFamily.append(' ').append(family.name()).append('=').append(size);
            }
            LOG.info("blockmap table properties: {}", store.textProperty(Schema.BLOCK_MAP, "rocksdb.aggregated-table-properties"));
            LOG.info("blockmap levels: {}", store.textProperty(Schema.BLOCK_MAP, "rocksdb.levelstats"));
            long blocks = manager.volumes().statistics("v").mappedBytes() / 4096;
            double perBlock = (double) sst / blocks;
            LOG.info("scale: {} MiB written in {} s ({} MB/s); {} mapped blocks; RocksDB SST {} bytes = {} bytes per mapped block;"
                    + " per family:{}; RSS after writing {} MiB, after compaction {} MiB; heap used {} MiB",
                    MIB, String.format("%.1f", seconds), String.format("%.0f", bytes / seconds / 1e6), blocks, sst,
                    String.format("%.2f", perBlock), perFamily, rssAfterWrite >> 20, residentBytes() >> 20,
                    (Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory()) >> 20);
            assertThat(blocks).isEqualTo(bytes / 4096);
            assertThat(perBlock).isLessThan(32.0);
        }
        Files.deleteIfExists(disk);
    }

    private static void fill(ThinVolume volume, long bytes) {
        Deque<CompletableFuture<Void>> inFlight = new ArrayDeque<>();
        for (long offset = 0; offset < bytes; offset += WRITE) {
            if (inFlight.size() == QUEUE_DEPTH) {
                inFlight.poll().orTimeout(120, TimeUnit.SECONDS).join();
            }
            ByteBuf data = ByteBufAllocator.DEFAULT.directBuffer(WRITE);
            for (int block = 0; block < WRITE / 4096; block++) {
                data.writeLong(offset + (long) block * 4096 + 1);
                data.writeZero(4096 - 16);
                data.writeLong(~offset);
            }
            inFlight.add(volume.write(offset / 512, data, WriteOptions.CACHED));
        }
        inFlight.forEach(f -> f.orTimeout(120, TimeUnit.SECONDS).join());
        volume.flush().orTimeout(120, TimeUnit.SECONDS).join();
    }

    /** VmRSS of this process, from /proc. */
    private static long residentBytes() throws java.io.IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
            }
        }
        return -1;
    }
}
