package dev.quarry.volume.scale;

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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fills a volume sequentially with 1 MiB writes (queue depth 8) and measures the RocksDB bytes
 * per mapped 4 KiB block after compaction (RocksDB's own {@code rocksdb.total-sst-files-size})
 * and the process's resident memory, with the default (production) configuration. Run by
 * {@link ScaleTest} at 64 MiB, or as a main for the figures of docs/chunk-store.md:
 * {@code java ... dev.quarry.volume.scale.ScaleBenchmark DIR MIB}.
 */
public final class ScaleBenchmark {

    private static final Logger LOG = LoggerFactory.getLogger(ScaleBenchmark.class);
    private static final int WRITE = 1 << 20;
    private static final int QUEUE_DEPTH = 8;

    /**
     * What one run measured.
     *
     * @param mappedBlocks blocks mapped at the end
     * @param sstBytes RocksDB SST bytes, all families, after compaction
     * @param rssAfterWrite resident bytes once written and flushed
     * @param rssAfterCompaction resident bytes after compaction
     * @param seconds time to write and flush
     */
    public record Result(long mappedBlocks, long sstBytes, long rssAfterWrite, long rssAfterCompaction, double seconds) {
        public double bytesPerBlock() {
            return (double) sstBytes / mappedBlocks;
        }
    }

    private ScaleBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        Files.createDirectories(dir);
        Result r = measure(dir, Long.parseLong(args[1]));
        LOG.info("result: {} bytes per mapped block, RSS {} MiB", String.format("%.2f", r.bytesPerBlock()), r.rssAfterCompaction() >> 20);
    }

    /** Fills a {@code mib} MiB volume on a sparse file disk in {@code dir}, measures, deletes the disk file. */
    public static Result measure(Path dir, long mib) throws Exception {
        long bytes = mib << 20;
        Path disk = TestManagers.diskFile(dir, "disk.img", bytes + bytes / 16 + (256L << 20));
        try (VolumeManager manager = VolumeManager.open(dir.resolve("data"), VolumeManagerConfig.DEFAULT)) {
            manager.pools().createPool(PoolSpec.of("p"));
            manager.pools().addDisk("p", new DiskSpec(FileDiskOpener.locator(disk, false), TierClass.SAS, "local"));
            manager.volumes().createVolume(new VolumeSpec("v", bytes, "p", null));
            ThinVolume volume = manager.volumes().open("v");
            long start = System.nanoTime();
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
            long blocks = manager.volumes().statistics("v").mappedBytes() / 4096;
            Result result = new Result(blocks, sst, rssAfterWrite, residentBytes(), seconds);
            LOG.info("scale: {} MiB written in {} s ({} MB/s); {} mapped blocks; RocksDB SST {} bytes = {} bytes per mapped block;"
                    + " per family:{}; RSS after writing {} MiB, after compaction {} MiB; heap used {} MiB",
                    mib, String.format("%.1f", seconds), String.format("%.0f", bytes / seconds / 1e6), blocks, sst,
                    String.format("%.2f", result.bytesPerBlock()), perFamily, rssAfterWrite >> 20, result.rssAfterCompaction() >> 20,
                    (Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory()) >> 20);
            return result;
        } finally {
            Files.deleteIfExists(disk);
        }
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
    static long residentBytes() throws java.io.IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
            }
        }
        return -1;
    }
}
