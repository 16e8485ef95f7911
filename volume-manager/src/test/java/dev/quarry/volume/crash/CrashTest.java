package dev.quarry.volume.crash;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quarry.block.BlockVolume;
import dev.quarry.volume.TestManagers;
import dev.quarry.volume.VolumeManager;
import dev.quarry.volume.VolumeManagerConfig;
import dev.quarry.volume.fsck.FsckReport;
import dev.quarry.volume.thin.ThinVolume;
import dev.quarry.volume.thin.VolumeSpec;
import io.netty.buffer.ByteBuf;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * kill -9 at random moments: a separate JVM ({@link CrashLoad}) writes under concurrent load,
 * takes and deletes snapshots, and reports which writes are durable and which snapshots exist;
 * the test kills it, reopens the volume manager, runs fsck, and checks that every durable write
 * reads back (or a later one), that no block is torn, and that every snapshot taken (and not
 * deleted) is still there and holds, per block, a version at least the one durable before it was
 * asked for and at most the newest issued when it was taken. {@code -Dquarry.crash.iterations=N} changes the number of kills (default 50).
 */
@Timeout(value = 8, unit = TimeUnit.MINUTES)
class CrashTest {

    private static final Logger LOG = LoggerFactory.getLogger(CrashTest.class);
    private static final int ITERATIONS = Integer.getInteger("quarry.crash.iterations", 50);

    @TempDir
    Path dir;

    static VolumeManagerConfig config() {
        return TestManagers.config();
    }

    @Test
    void shouldKeepEveryDurableWriteAcrossKills() throws Exception {
        Path data = dir.resolve("data");
        try (VolumeManager manager = TestManagers.withPool(dir, 2, 24L << 20)) {
            manager.volumes().createVolume(new VolumeSpec("crash", 16L << 20, "p", null));
        }
        Map<Long, Long> durable = new HashMap<>();
        Map<String, SnapshotBounds> snapshots = new HashMap<>();
        List<long[]> issued = new ArrayList<>();
        Random random = new Random(42);
        long durableWrites = 0;
        for (int iteration = 1; iteration <= ITERATIONS; iteration++) {
            long base = iteration * 10_000_000L;
            List<String> lines = runAndKill(data, base, 50 + random.nextInt(400));
            issued.clear();
            Map<String, Map<Long, Long>> asked = new HashMap<>();
            for (String line : lines) {
                String[] f = line.split(" ");
                if (f.length == 3 && f[0].equals("D")) {
                    durable.merge(Long.parseLong(f[1]), Long.parseLong(f[2]), Math::max);
                    durableWrites++;
                } else if (f.length == 4 && f[0].equals("W")) {
                    issued.add(new long[] {Long.parseLong(f[1]), Long.parseLong(f[2]), Long.parseLong(f[3])});
                } else if (f.length == 2 && f[0].equals("T")) {
                    asked.put(f[1], new HashMap<>(durable));
                } else if (f.length == 3 && f[0].equals("S")) {
                    snapshots.put(f[1], new SnapshotBounds(asked.get(f[1]), Long.parseLong(f[2])));
                } else if (f.length == 2 && f[0].equals("X")) {
                    snapshots.remove(f[1]);
                }
            }
            verify(data, durable, issued, snapshots, iteration);
        }
        LOG.info("crash test: {} kills, {} durable block writes verified, {} blocks covered, {} snapshots checked", ITERATIONS,
                durableWrites, durable.size(), snapshotsChecked);
        assertThat(durable).isNotEmpty();
        assertThat(snapshotsChecked).isPositive();
    }

    /** What a snapshot must hold: per block at least {@code durableBefore}, at most {@code upper}. */
    private record SnapshotBounds(Map<Long, Long> durableBefore, long upper) {
    }

    private long snapshotsChecked;

    private void verifySnapshots(VolumeManager manager, Map<String, SnapshotBounds> snapshots, int iteration) {
        java.util.Set<String> listed = new java.util.HashSet<>();
        manager.snapshots().listSnapshots("crash").forEach(s -> listed.add(s.name()));
        for (Map.Entry<String, SnapshotBounds> expected : snapshots.entrySet()) {
            assertThat(listed).as("snapshot %s after kill %d", expected.getKey(), iteration).contains(expected.getKey());
            try (BlockVolume snapshot = manager.snapshots().openSnapshot("crash", expected.getKey())) {
                ByteBuf all = snapshot.read(0, CrashLoad.BLOCKS * 8).orTimeout(60, TimeUnit.SECONDS).join();
                try {
                    for (int block = 0; block < CrashLoad.BLOCKS; block++) {
                        long version = BlockStamp.version(all, all.readerIndex() + block * BlockStamp.BYTES, block);
                        assertThat(version).as("block %d of snapshot %s after kill %d", block, expected.getKey(), iteration)
                                .isGreaterThanOrEqualTo(expected.getValue().durableBefore().getOrDefault((long) block, -1L))
                                .isLessThanOrEqualTo(expected.getValue().upper());
                    }
                } finally {
                    all.release();
                }
            }
            snapshotsChecked++;
        }
    }

    private List<String> runAndKill(Path data, long base, int millisAfterReady) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.add("--enable-native-access=ALL-UNNAMED");
        if (Runtime.version().feature() >= 23) {
            command.add("--sun-misc-unsafe-memory-access=allow");
        }
        command.addAll(List.of("-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Dlogback.configurationFile=none",
                "-cp", System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")),
                CrashLoad.class.getName(), data.toString(), Long.toString(base)));
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.appendTo(dir.resolve("load.err").toFile())).start();
        List<String> lines = new ArrayList<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null;) {
                    synchronized (lines) {
                        lines.add(line);
                        lines.notifyAll();
                    }
                }
            } catch (java.io.IOException e) {
                LOG.debug("load output closed", e);
            }
        });
        reader.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        synchronized (lines) {
            while (!lines.contains("READY") && process.isAlive() && System.nanoTime() < deadline) {
                lines.wait(100);
            }
        }
        assertThat(lines).as("load process started").contains("READY");
        Thread.sleep(millisAfterReady);
        process.destroyForcibly();
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        reader.join(TimeUnit.SECONDS.toMillis(30));
        synchronized (lines) {
            return new ArrayList<>(lines);
        }
    }

    /**
     * Checks fsck, that every block is intact and at least at its last durable version, and that
     * multi-block writes are atomic: if one block of a write shows its version, no other block
     * of that write shows an older one.
     */
    private void verify(Path data, Map<Long, Long> durable, List<long[]> issued, Map<String, SnapshotBounds> snapshots,
                        int iteration) {
        try (VolumeManager manager = VolumeManager.open(data, config())) {
            FsckReport report = manager.fsck();
            assertThat(report.problems()).as("fsck after kill %d", iteration).isEmpty();
            verifySnapshots(manager, snapshots, iteration);
            ThinVolume volume = manager.volumes().open("crash");
            ByteBuf all = volume.read(0, CrashLoad.BLOCKS * 8).orTimeout(60, TimeUnit.SECONDS).join();
            try {
                long[] versions = new long[CrashLoad.BLOCKS];
                for (int block = 0; block < CrashLoad.BLOCKS; block++) {
                    versions[block] = BlockStamp.version(all, all.readerIndex() + block * BlockStamp.BYTES, block);
                    long expected = durable.getOrDefault((long) block, -1L);
                    assertThat(versions[block]).as("block %d after kill %d", block, iteration).isGreaterThanOrEqualTo(expected);
                }
                for (long[] w : issued) {
                    boolean landed = false;
                    for (int b = 0; b < w[1]; b++) {
                        landed |= versions[(int) w[0] + b] == w[2];
                    }
                    for (int b = 0; landed && b < w[1]; b++) {
                        assertThat(versions[(int) w[0] + b]).as("write %d of blocks %d+%d after kill %d is torn", w[2], w[0], w[1],
                                iteration).isGreaterThanOrEqualTo(w[2]);
                    }
                }
            } finally {
                all.release();
            }
        }
    }
}
