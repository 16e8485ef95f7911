package dev.quarry.perf.volume;

import dev.quarry.block.WriteOptions;
import dev.quarry.volume.VolumeManager;
import dev.quarry.volume.VolumeManagerConfig;
import dev.quarry.volume.disk.FileDiskOpener;
import dev.quarry.volume.disk.TierClass;
import dev.quarry.volume.pool.DiskSpec;
import dev.quarry.volume.pool.PoolSpec;
import dev.quarry.volume.thin.ThinVolume;
import dev.quarry.volume.thin.VolumeSpec;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The chunk write and read path in-process, at queue depth 1: a {@link ThinVolume} of the default
 * volume manager over a buffered sparse file disk, 4 KiB random cached writes, 4 KiB random reads
 * and 128 KiB sequential reads of blocks written at setup (so reads hit real chunk records).
 *
 * <p>Not thread-safe; JMH gives each thread its own state.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ChunkPathBenchmark {

    private static final long VOLUME_BYTES = 256L << 20;
    private static final long DISK_BYTES = 8L << 30;
    private static final int LBAS = (int) (VOLUME_BYTES / 512);

    private Path directory;
    private VolumeManager manager;
    private ThinVolume volume;
    private ByteBuf block;
    private final SplittableRandom random = new SplittableRandom(7);
    private long sequential;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        directory = Files.createTempDirectory("quarry-chunk-bench");
        Path disk = directory.resolve("disk.img");
        try (RandomAccessFile file = new RandomAccessFile(disk.toFile(), "rw")) {
            file.setLength(DISK_BYTES);
        }
        manager = VolumeManager.open(directory.resolve("data"), VolumeManagerConfig.DEFAULT);
        manager.pools().createPool(PoolSpec.of("bench"));
        manager.pools().addDisk("bench", new DiskSpec(FileDiskOpener.locator(disk, false), TierClass.SAS, "local"));
        manager.volumes().createVolume(new VolumeSpec("bench", VOLUME_BYTES, "bench", null));
        volume = manager.volumes().open("bench");
        byte[] pattern = new byte[4096];
        new SplittableRandom(1).nextBytes(pattern);
        block = ByteBufAllocator.DEFAULT.directBuffer(4096).writeBytes(pattern);
        ByteBuf fill = ByteBufAllocator.DEFAULT.directBuffer(1 << 20);
        for (int i = 0; i < 256; i++) {
            fill.writeBytes(pattern);
        }
        for (long lba = 0; lba < LBAS; lba += 2048) {
            volume.write(lba, fill.retainedDuplicate(), WriteOptions.CACHED).join();
        }
        fill.release();
        manager.flush();
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        block.release();
        manager.close();
        try (var files = Files.walk(directory)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    @Benchmark
    public void write4kRandom() {
        volume.write(random.nextInt(LBAS / 8) * 8L, block.retainedDuplicate(), WriteOptions.CACHED).join();
    }

    @Benchmark
    public int read4kRandom() {
        ByteBuf data = volume.read(random.nextInt(LBAS / 8) * 8L, 8).join();
        try {
            return data.getInt(data.readerIndex());
        } finally {
            data.release();
        }
    }

    @Benchmark
    public int read128kSequential() {
        long lba = sequential;
        sequential = (sequential + 256) % LBAS;
        ByteBuf data = volume.read(lba, 256).join();
        try {
            return data.getInt(data.readerIndex());
        } finally {
            data.release();
        }
    }
}
