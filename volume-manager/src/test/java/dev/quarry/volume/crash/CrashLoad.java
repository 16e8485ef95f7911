package dev.quarry.volume.crash;

import dev.quarry.block.WriteOptions;
import dev.quarry.volume.VolumeManager;
import dev.quarry.volume.VolumeManagerConfig;
import dev.quarry.volume.snapshot.SnapshotRecord;
import dev.quarry.volume.thin.ThinVolume;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The process the crash test kills: opens the volume manager of a data directory and writes to
 * volume "crash" from four writers until killed, each owning a quarter of the first
 * {@link #BLOCKS} blocks. Prints {@code W first count version} before issuing a write,
 * {@code D block version} once a write is durable (a FUA write completed, or a cached write
 * completed before a flush that completed), {@code READY} once open, and the snapshot lines of
 * {@link #snapshotForever}. Versions start at {@code args[1]}, so they grow across runs.
 */
public final class CrashLoad {

    static final int BLOCKS = 1024;
    static final int WRITERS = 4;

    private CrashLoad() {
    }

    public static void main(String[] args) throws Exception {
        Path data = Path.of(args[0]);
        long base = Long.parseLong(args[1]);
        PrintStream out = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), true);
        VolumeManager manager = VolumeManager.open(data, CrashTest.config());
        ThinVolume volume = manager.volumes().open("crash");
        out.println("READY");
        AtomicLong versions = new AtomicLong(base);
        List<Thread> threads = new ArrayList<>();
        for (int w = 0; w < WRITERS; w++) {
            int writer = w;
            Thread t = new Thread(() -> writeForever(volume, writer, versions, out), "writer-" + w);
            t.start();
            threads.add(t);
        }
        Thread snapshotter = new Thread(() -> snapshotForever(manager, base, versions, out), "snapshotter");
        snapshotter.start();
        threads.add(snapshotter);
        for (Thread t : threads) {
            t.join();
        }
    }

    /**
     * Takes a snapshot every 25 ms and keeps the newest three: prints {@code T name} before it
     * asks, {@code S name upper} once taken (no write with a version above {@code upper} can be
     * in it), and {@code X name} before it asks for a deletion (from then on it may be gone).
     */
    private static void snapshotForever(VolumeManager manager, long base, AtomicLong versions, PrintStream out) {
        for (long n = 0; ; n++) {
            try {
                Thread.sleep(25);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            String name = "s" + base + "-" + n;
            out.print("T " + name + '\n');
            manager.snapshots().createSnapshot("crash", name);
            out.print("S " + name + ' ' + versions.get() + '\n');
            List<SnapshotRecord> all = manager.snapshots().listSnapshots("crash");
            if (all.size() > 3) {
                out.print("X " + all.get(0).name() + '\n');
                manager.snapshots().deleteSnapshot("crash", all.get(0).name());
            }
        }
    }

    private static void writeForever(ThinVolume volume, int writer, AtomicLong versions, PrintStream out) {
        Random random = new Random(writer * 7919L + versions.get());
        int per = BLOCKS / WRITERS;
        Semaphore window = new Semaphore(8);
        List<String> completed = new ArrayList<>();
        for (long i = 0; ; i++) {
            int count = 1 + random.nextInt(4);
            long first = (long) writer * per + random.nextInt(per - count);
            long version = versions.incrementAndGet();
            boolean fua = random.nextInt(4) == 0;
            window.acquireUninterruptibly();
            out.print("W " + first + ' ' + count + ' ' + version + '\n');
            CompletableFuture<Void> done = volume.write(first * 8, BlockStamp.blocks(first, count, version),
                    fua ? WriteOptions.FUA : WriteOptions.CACHED);
            done.whenComplete((ok, failure) -> {
                window.release();
                if (failure != null) {
                    return;
                }
                StringBuilder lines = new StringBuilder();
                for (int b = 0; b < count; b++) {
                    lines.append(fua ? "D " : "A ").append(first + b).append(' ').append(version).append('\n');
                }
                synchronized (completed) {
                    if (fua) {
                        out.print(lines);
                    } else {
                        completed.add(lines.toString().replace('A', 'D'));
                    }
                }
            });
            if (i % 16 == 15) {
                List<String> before;
                synchronized (completed) {
                    before = new ArrayList<>(completed);
                    completed.clear();
                }
                volume.flush().join();
                before.forEach(out::print);
            }
        }
    }

    /** The manager settings the load and the test share. */
    static VolumeManagerConfig config() {
        return CrashTest.config();
    }
}
