package dev.quarry.volume.snapshot;

import static dev.quarry.volume.VolumeTesting.await;
import static dev.quarry.volume.VolumeTesting.buffer;
import static dev.quarry.volume.VolumeTesting.failure;
import static dev.quarry.volume.VolumeTesting.pattern;
import static dev.quarry.volume.VolumeTesting.read;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.quarry.block.BlockVolume;
import dev.quarry.block.LbaStatus;
import dev.quarry.block.SenseCode;
import dev.quarry.block.WriteOptions;
import dev.quarry.volume.TestManagers;
import dev.quarry.volume.VolumeManager;
import dev.quarry.volume.fsck.FsckReport;
import dev.quarry.volume.pool.Job;
import dev.quarry.volume.thin.VolumeRecord;
import dev.quarry.volume.thin.VolumeSpec;
import dev.quarry.volume.thin.VolumeState;
import java.nio.file.Path;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Snapshots, rollback and clones on a real manager: RocksDB, file disks, the collector. */
@Timeout(120)
class SnapshotTest {

    private static final int LBAS = 8;
    private static final long VOLUME_BYTES = 16L << 20;

    @TempDir
    Path dir;

    private VolumeManager manager;

    @BeforeEach
    void open() throws Exception {
        manager = TestManagers.withPool(dir, 2, 48L << 20);
        manager.volumes().createVolume(new VolumeSpec("v", VOLUME_BYTES, "p", null));
    }

    @AfterEach
    void close() {
        if (manager != null) {
            assertThat(manager.store().openResources()).as("RocksDB iterators left open").isZero();
            manager.close();
        }
    }

    private void reopen() {
        manager.close();
        manager = VolumeManager.open(dir.resolve("data"), TestManagers.config());
    }

    private BlockVolume live() {
        return manager.volumes().open("v");
    }

    private static void write(BlockVolume volume, long block, byte[] data) {
        await(volume.write(block * LBAS, buffer(data), WriteOptions.CACHED));
    }

    private static byte[] block(BlockVolume volume, long block) {
        return read(volume, block * LBAS, LBAS);
    }

    private static void done(Job job) {
        job.completion().orTimeout(60, TimeUnit.SECONDS).join();
        assertThat(job.state()).isEqualTo(Job.State.SUCCEEDED);
        assertThat(job.percent()).isEqualTo(100.0);
    }

    @Test
    void shouldSeeTheVolumeAsItWasWhenTaken() {
        BlockVolume v = live();
        byte[] a = pattern(4096, 1);
        byte[] b = pattern(4096, 2);
        byte[] c = pattern(4096, 3);
        write(v, 0, a);
        write(v, 1, a);
        SnapshotRecord s1 = manager.snapshots().createSnapshot("v", "s1");
        write(v, 0, b);
        await(v.unmap(LBAS, LBAS));
        write(v, 2, c);
        SnapshotRecord s2 = manager.snapshots().createSnapshot("v", "s2");
        write(v, 0, c);
        write(v, 2, b);

        assertThat(s2.epoch()).isGreaterThan(s1.epoch());
        try (BlockVolume one = manager.snapshots().openSnapshot("v", "s1");
             BlockVolume two = manager.snapshots().openSnapshot("v", "s2")) {
            assertThat(block(one, 0)).isEqualTo(a);
            assertThat(block(one, 1)).isEqualTo(a);
            assertThat(block(one, 2)).isEqualTo(new byte[4096]);
            assertThat(block(two, 0)).isEqualTo(b);
            assertThat(block(two, 1)).isEqualTo(new byte[4096]);
            assertThat(block(two, 2)).isEqualTo(c);
            assertThat(block(v, 0)).isEqualTo(c);
            assertThat(block(v, 2)).isEqualTo(b);
            assertThat(read(one, 4, 8)).as("an unaligned read of a snapshot")
                    .isEqualTo(java.util.Arrays.copyOfRange(concat(a, a), 2048, 6144));
            assertThat(failure(one.write(0, buffer(new byte[512]), WriteOptions.CACHED)).sense()).isEqualTo(SenseCode.WRITE_PROTECTED);
            assertThat(one.readOnly()).isTrue();
            List<LbaStatus> status = await(one.provisioningStatus(0, 64));
            assertThat(status.get(0)).isEqualTo(new LbaStatus(0, 2 * LBAS, LbaStatus.State.MAPPED));
        }
        manager.flush();
        assertThat(manager.volumes().statistics("v").snapshots()).isEqualTo(2);
        assertThat(manager.volumes().statistics("v").snapshotBytes()).as("blocks kept only for snapshots").isEqualTo(4 * 4096L);
    }

    @Test
    void shouldKeepSnapshotsAcrossRestartAndCreateIdempotently() {
        byte[] a = pattern(4096, 7);
        write(live(), 5, a);
        SnapshotRecord s = manager.snapshots().createSnapshot("v", "daily");
        assertThat(manager.snapshots().createSnapshot("v", "daily")).isEqualTo(s);
        write(live(), 5, pattern(4096, 8));
        reopen();
        assertThat(manager.snapshots().listSnapshots("v")).containsExactly(s);
        try (BlockVolume snap = manager.snapshots().openSnapshot("v", "daily")) {
            assertThat(block(snap, 5)).isEqualTo(a);
        }
        write(live(), 5, pattern(4096, 9));
        try (BlockVolume snap = manager.snapshots().openSnapshot("v", "daily")) {
            assertThat(block(snap, 5)).as("writes after the restart still keep the snapshot's block").isEqualTo(a);
        }
        assertThatThrownBy(() -> manager.snapshots().openSnapshot("v", "nope")).isInstanceOf(NoSuchElementException.class);
        assertThatThrownBy(() -> manager.snapshots().createSnapshot("v", "a@b")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> manager.snapshots().createSnapshot("nope", "x")).isInstanceOf(NoSuchElementException.class);
    }

    @Test
    void shouldReleaseWhatOnlyADeletedSnapshotKept() {
        BlockVolume v = live();
        for (int i = 0; i < 64; i++) {
            write(v, i, pattern(4096, i));
        }
        manager.snapshots().createSnapshot("v", "old");
        manager.snapshots().createSnapshot("v", "keep");
        for (int i = 0; i < 64; i++) {
            write(v, i, pattern(4096, 100 + i));
        }
        manager.flush();
        assertThat(manager.volumes().statistics("v").snapshotBytes()).isEqualTo(64 * 4096L);
        done(manager.snapshots().deleteSnapshot("v", "old"));
        assertThat(manager.volumes().statistics("v").snapshotBytes()).as("'keep' still sees them").isEqualTo(64 * 4096L);
        assertThat(manager.snapshots().listSnapshots("v")).extracting(SnapshotRecord::name).containsExactly("keep");
        assertThatThrownBy(() -> manager.volumes().deleteVolume("v")).isInstanceOf(IllegalStateException.class);
        done(manager.snapshots().deleteSnapshot("v", "keep"));
        assertThat(manager.volumes().statistics("v").snapshotBytes()).isZero();
        FsckReport report = manager.fsck();
        assertThat(report.problems()).isEmpty();
        manager.volumes().deleteVolume("v");
        assertThat(manager.fsck().problems()).isEmpty();
    }

    @Test
    void shouldRefuseToDeleteAnExportedSnapshot() {
        manager.snapshots().createSnapshot("v", "s");
        BlockVolume exported = manager.snapshots().openSnapshot("v", "s");
        assertThatThrownBy(() -> manager.snapshots().deleteSnapshot("v", "s")).isInstanceOf(IllegalStateException.class);
        exported.close();
        done(manager.snapshots().deleteSnapshot("v", "s"));
    }

    @Test
    void shouldRollBackToASnapshotKeepingNewerOnes() {
        BlockVolume v = live();
        byte[] a = pattern(4096, 11);
        byte[] b = pattern(4096, 12);
        write(v, 0, a);
        write(v, 3, a);
        manager.snapshots().createSnapshot("v", "before");
        write(v, 0, b);
        await(v.unmap(3 * LBAS, LBAS));
        write(v, 9, b);
        manager.snapshots().createSnapshot("v", "after");
        write(v, 0, pattern(4096, 13));

        done(manager.snapshots().rollback("v", "before"));
        assertThat(block(v, 0)).isEqualTo(a);
        assertThat(block(v, 3)).isEqualTo(a);
        assertThat(block(v, 9)).isEqualTo(new byte[4096]);
        try (BlockVolume after = manager.snapshots().openSnapshot("v", "after")) {
            assertThat(block(after, 0)).isEqualTo(b);
            assertThat(block(after, 3)).isEqualTo(new byte[4096]);
            assertThat(block(after, 9)).isEqualTo(b);
        }
        write(v, 3, b);
        assertThat(block(v, 3)).isEqualTo(b);
        reopen();
        assertThat(block(live(), 0)).isEqualTo(a);
        assertThat(manager.fsck().problems()).isEmpty();
    }

    @Test
    void shouldCloneASnapshotSharingItsChunks() {
        BlockVolume v = live();
        byte[] a = pattern(4096, 21);
        for (int i = 0; i < 100; i++) {
            write(v, i * 7L, a);
        }
        manager.snapshots().createSnapshot("v", "gold");
        write(v, 0, pattern(4096, 22));
        long usedBefore = manager.pools().statistics("p").usedBytes();
        Job job = manager.snapshots().cloneSnapshot("v", "gold", "vm2");
        done(job);
        assertThat(manager.snapshots().cloneSnapshot("v", "gold", "vm2").state()).isEqualTo(Job.State.SUCCEEDED);
        VolumeRecord clone = manager.volumes().volume("vm2").orElseThrow();
        assertThat(clone.state()).isEqualTo(VolumeState.ACTIVE);
        assertThat(clone.origin().label()).isEqualTo("v@gold");
        assertThat(clone.sizeBytes()).isEqualTo(VOLUME_BYTES);
        assertThat(manager.pools().statistics("p").usedBytes()).as("a clone copies no data").isEqualTo(usedBefore);
        assertThat(manager.volumes().statistics("vm2").mappedBytes()).isEqualTo(100 * 4096L);

        BlockVolume c = manager.volumes().open("vm2");
        assertThat(block(c, 0)).isEqualTo(a);
        write(c, 7, pattern(4096, 23));
        assertThat(block(v, 7)).as("the clone's writes are its own").isEqualTo(a);
        done(manager.snapshots().deleteSnapshot("v", "gold"));
        manager.volumes().deleteVolume("v");
        assertThat(block(c, 14)).as("the clone outlives its source").isEqualTo(a);
        reopen();
        assertThat(block(manager.volumes().open("vm2"), 21)).isEqualTo(a);
        assertThat(manager.fsck().problems()).isEmpty();
    }

    private static byte[] concat(byte[] x, byte[] y) {
        byte[] both = java.util.Arrays.copyOf(x, x.length + y.length);
        System.arraycopy(y, 0, both, x.length, y.length);
        return both;
    }

    @Test
    void shouldResumeAnInterruptedCloneAfterARestart() {
        manager.volumes().createVolume(new VolumeSpec("big", 4L << 30, "p", null));
        BlockVolume v = manager.volumes().open("big");
        byte[] data = pattern(16 * 4096, 31);
        long stride = (4L << 30) / 512 / 16;
        for (int i = 0; i < 16; i++) {
            await(v.write(i * stride, buffer(data), WriteOptions.CACHED));
        }
        manager.snapshots().createSnapshot("big", "base");
        Job job = manager.snapshots().cloneSnapshot("big", "base", "copy");
        manager.close();
        assertThat(job.completion()).as("the copy either finished or was stopped").isDone();
        manager = VolumeManager.open(dir.resolve("data"), TestManagers.config());
        VolumeRecord clone = manager.volumes().volume("copy").orElseThrow();
        if (clone.state() == VolumeState.CLONING) {
            assertThatThrownBy(() -> manager.volumes().open("copy")).isInstanceOf(IllegalStateException.class);
            assertThatThrownBy(() -> manager.snapshots().deleteSnapshot("big", "base")).isInstanceOf(IllegalStateException.class);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (manager.volumes().volume("copy").orElseThrow().state() == VolumeState.CLONING && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
        }
        BlockVolume copy = manager.volumes().open("copy");
        for (int i = 0; i < 16; i++) {
            assertThat(read(copy, i * stride, 16 * LBAS)).isEqualTo(data);
        }
        assertThat(manager.volumes().statistics("copy").mappedBytes()).isEqualTo(16 * 16 * 4096L);
        assertThat(manager.fsck().problems()).isEmpty();
    }

    @Test
    void shouldHoldEveryWriteAcknowledgedBeforeTheSnapshotAndNoneStartedAfter() throws Exception {
        BlockVolume v = live();
        int blocks = 32;
        int rounds = 40;
        java.util.concurrent.atomic.AtomicIntegerArray acked = new java.util.concurrent.atomic.AtomicIntegerArray(blocks);
        java.util.concurrent.atomic.AtomicIntegerArray started = new java.util.concurrent.atomic.AtomicIntegerArray(blocks);
        java.util.concurrent.ExecutorService writers = java.util.concurrent.Executors.newFixedThreadPool(4);
        try {
            java.util.List<java.util.concurrent.Future<?>> running = new java.util.ArrayList<>();
            for (int w = 0; w < 4; w++) {
                int lane = w;
                running.add(writers.submit(() -> {
                    for (int round = 1; round <= rounds; round++) {
                        for (int b = lane; b < blocks; b += 4) {
                            started.set(b, round);
                            write(v, b, stamp(b, round));
                            acked.set(b, round);
                        }
                    }
                }));
            }
            int[] ackedBefore = new int[blocks];
            Thread.sleep(20);
            for (int b = 0; b < blocks; b++) {
                ackedBefore[b] = acked.get(b);
            }
            manager.snapshots().createSnapshot("v", "hot");
            int[] startedAfter = new int[blocks];
            for (int b = 0; b < blocks; b++) {
                startedAfter[b] = started.get(b);
            }
            for (java.util.concurrent.Future<?> f : running) {
                f.get(60, TimeUnit.SECONDS);
            }
            try (BlockVolume snap = manager.snapshots().openSnapshot("v", "hot")) {
                for (int b = 0; b < blocks; b++) {
                    byte[] seen = block(snap, b);
                    int round = seen[0] == 0 && seen[1] == 0 ? 0 : java.nio.ByteBuffer.wrap(seen).getInt(4);
                    assertThat(seen).isEqualTo(round == 0 ? new byte[4096] : stamp(b, round));
                    assertThat(round).as("block %d", b).isBetween(ackedBefore[b], startedAfter[b]);
                }
            }
        } finally {
            writers.shutdownNow();
        }
    }

    /** A block that says which block and round wrote it. */
    private static byte[] stamp(int block, int round) {
        byte[] data = pattern(4096, block * 1000L + round);
        java.nio.ByteBuffer.wrap(data).putShort(0, (short) 0x5157).putInt(4, round);
        return data;
    }

    @Test
    void shouldCloneAtTheSnapshotsSizeAndRefuseANameTakenByAnotherClone() {
        write(live(), 0, pattern(4096, 41));
        manager.snapshots().createSnapshot("v", "small");
        manager.volumes().grow("v", 2 * VOLUME_BYTES);
        manager.snapshots().createSnapshot("v", "big");
        done(manager.snapshots().cloneSnapshot("v", "small", "c"));
        assertThat(manager.volumes().volume("c").orElseThrow().sizeBytes()).as("the snapshot's size").isEqualTo(VOLUME_BYTES);
        assertThatThrownBy(() -> manager.snapshots().cloneSnapshot("v", "big", "c")).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> manager.snapshots().cloneSnapshot("v", "small", "v")).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> manager.snapshots().rollback("v", "small")).as("the volume grew since")
                .isInstanceOf(IllegalStateException.class);
        done(manager.snapshots().deleteSnapshot("v", "small"));
        assertThat(manager.volumes().statistics("v").snapshots()).isEqualTo(1);
    }
}
