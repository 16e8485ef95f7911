package dev.quarry.perf.driver;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The side-by-side benchmark of issue 4: Quarry ({@code bin/quarry demo}, a thin volume) and
 * tgtd ({@code rdwr} over a sparse file in the same folder, plus its {@code null} store as the
 * transport ceiling) on loopback, both filled with the same random data, then every workload
 * against each target in alternation for several rounds; prints one table of medians and ratios.
 *
 * <p>Not thread-safe; one run per process.
 */
@Command(name = "bench-vs-tgtd", mixinStandardHelpOptions = true,
        description = "Quarry against tgtd on loopback with qemu-img bench and iscsi-perf; prints one table.")
public final class BenchVsTgtd implements Callable<Integer> {

    @Option(names = "--root", required = true, description = "The Quarry checkout (holds bin/quarry).")
    private Path root;

    @Option(names = "--work", required = true, description = "A fresh folder for the backing files (deleted after).")
    private Path work;

    @Option(names = "--size-mib", defaultValue = "1024", description = "LUN size in MiB, a power of two (default: ${DEFAULT-VALUE}).")
    private int sizeMib;

    @Option(names = "--rounds", defaultValue = "5", description = "Rounds per workload (default: ${DEFAULT-VALUE}).")
    private int rounds;

    @Option(names = "--seconds", defaultValue = "2", description = "Target seconds per run (default: ${DEFAULT-VALUE}).")
    private int seconds;

    @Option(names = "--iscsi-port", defaultValue = "13260",
            description = "Quarry's portal; tgtd uses the next two (portal, control) (default: ${DEFAULT-VALUE}).")
    private int iscsiPort;

    @Option(names = "--http-port", defaultValue = "18080", description = "Quarry's admin port (default: ${DEFAULT-VALUE}).")
    private int httpPort;

    @Option(names = "--quarry-java-opts", defaultValue = "-Xmx2g",
            description = "JVM options of the Quarry process (default: ${DEFAULT-VALUE}).")
    private String quarryJavaOptions;

    @Option(names = "--only", description = "Run only the workloads whose name contains this text (e.g. 'read').")
    private String only;

    @Spec
    private CommandSpec spec;

    public static void main(String[] args) {
        System.exit(new CommandLine(new BenchVsTgtd()).execute(args));
    }

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        if (Integer.bitCount(sizeMib) != 1 || rounds < 1 || seconds < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--size-mib must be a power of two, rounds and seconds positive");
        }
        long size = (long) sizeMib << 20;
        Files.createDirectories(work);
        long started = System.nanoTime();
        out.println("load before: " + loadAverage());
        Path fill = randomImage(work.resolve("fill.img"), size);
        Path tgtdBacking = work.resolve("tgtd.img");
        try (var raf = new java.io.RandomAccessFile(tgtdBacking.toFile(), "rw")) {
            raf.setLength(size);
        }
        Initiator initiator = new Initiator();
        Map<Workload, Measurements> results = new LinkedHashMap<>();
        TgtdTarget tgtd = TgtdTarget.start(iscsiPort + 1, iscsiPort + 2, work);
        try (QuarryTarget quarry = QuarryTarget.start(root, work.resolve("quarry"), size, iscsiPort, httpPort, quarryJavaOptions)) {
            List<Target> targets = List.of(quarry, tgtd.addLun(1, "rdwr", tgtdBacking.toString(), "rdwr"),
                    tgtd.addLun(2, "null", "null-" + sizeMib, "null"));
            for (Target t : targets.subList(0, 2)) {
                long fillStart = System.nanoTime();
                initiator.fill(fill.toString(), t.url());
                out.printf(Locale.ROOT, "filled %s with %d MiB of random data in %.1f s%n", t.name(), sizeMib,
                        (System.nanoTime() - fillStart) / 1e9);
                out.flush();
            }
            Files.delete(fill);
            out.printf(Locale.ROOT, "Quarry settled (background commit, compaction) in %.1f s%n", settle(quarry.pid()) / 1e9);
            out.flush();
            List<Workload> workloads = Workload.standard().stream()
                    .filter(w -> only == null || w.name().contains(only)).toList();
            Map<Workload, Long> requests = new LinkedHashMap<>();
            for (Workload w : workloads) {
                requests.put(w, calibrate(initiator, w, targets.get(1)));
            }
            Set<Workload> warmed = new HashSet<>();
            long settled = 0;
            // Before each workload Quarry finishes the previous one's background work (commits,
            // reaping and cleaning the chunks it overwrote, compactions): each row measures a
            // workload, not the garbage the previous row left (printed below, as settle time).
            for (int i = 0; i < workloads.size(); i++) {
                Workload w = workloads.get(i);
                if (!warmed.contains(w)) {
                    settled += settle(quarry.pid());
                    warmUp(out, initiator, quarry, sameKindFrom(workloads, i), requests, warmed);
                }
                settled += settle(quarry.pid());
                results.put(w, measure(out, initiator, w, targets, requests.get(w)));
            }
            out.printf(Locale.ROOT, "Quarry's background work between workloads took %.1f s in all%n", settled / 1e9);
        } finally {
            tgtd.close();
        }
        out.println();
        ResultTable.print(out, results);
        out.printf(Locale.ROOT, "%nrounds %d, ~%d s per run, LUN %d MiB; whole run %.0f s; load after: %s%n", rounds, seconds,
                sizeMib, (System.nanoTime() - started) / 1e9, loadAverage());
        out.flush();
        return 0;
    }

    /** The workloads from index {@code from} on that read (or write) like it, up to the first that does not. */
    private static List<Workload> sameKindFrom(List<Workload> workloads, int from) {
        List<Workload> run = new ArrayList<>();
        for (int i = from; i < workloads.size() && workloads.get(i).write() == workloads.get(from).write(); i++) {
            run.add(workloads.get(i));
        }
        return run;
    }

    /**
     * Runs each of {@code pass} once against Quarry, unrecorded: the JIT compiles under the shared
     * load for a good while (tgtd is compiled C). Only workloads of one kind, so that a warm-up
     * never writes over the layout a later read row is meant to see.
     */
    private void warmUp(PrintWriter out, Initiator initiator, Target quarry, List<Workload> pass, Map<Workload, Long> requests,
                        Set<Workload> warmed) {
        long start = System.nanoTime();
        for (Workload w : pass) {
            initiator.run(w, quarry.url(), requests.get(w), seconds);
            warmed.add(w);
        }
        out.printf(Locale.ROOT, "Quarry warm-up pass over %d %s workloads in %.1f s%n", pass.size(),
                pass.get(0).write() ? "write" : "read", (System.nanoTime() - start) / 1e9);
        out.flush();
    }

    /** The request count that keeps a qemu-img bench run of {@code w} on tgtd near {@code seconds}. */
    private long calibrate(Initiator initiator, Workload w, Target tgtd) {
        long probe = Math.max(w.depth() * 64L, 512L);
        double estimate = initiator.run(w, tgtd.url(), probe, 1);
        return Math.max(probe, Math.round(estimate * seconds));
    }

    /**
     * Warms every target up with one unrecorded half-length run (page caches, JIT), then runs
     * each round against every target, alternating which of Quarry and tgtd goes first.
     */
    private Measurements measure(PrintWriter out, Initiator initiator, Workload w, List<Target> targets, long requests) {
        for (Target t : targets) {
            initiator.run(w, t.url(), Math.max(512, requests / 2), Math.max(1, seconds / 2));
        }
        Measurements m = new Measurements();
        for (int round = 0; round < rounds; round++) {
            List<Target> order = new ArrayList<>(targets);
            if (round % 2 == 1) {
                order.set(0, targets.get(1));
                order.set(1, targets.get(0));
            }
            for (Target t : order) {
                long cpuBefore = ProcessCpu.nanos(t.pid());
                double rate = initiator.run(w, t.url(), requests, seconds);
                long cpu = ProcessCpu.nanos(t.pid()) - cpuBefore;
                double done = w.tool() == Workload.Tool.QEMU_IMG_BENCH ? requests : rate * seconds;
                m.add(label(t), rate, cpu / done);
            }
        }
        out.printf(Locale.ROOT, "%-56s Quarry %s  tgtd %s  null %s%n", w.name(), rounds(m, ResultTable.QUARRY),
                rounds(m, ResultTable.TGTD), rounds(m, ResultTable.NULL));
        out.flush();
        return m;
    }

    /**
     * Waits until the process uses less than a tenth of a core over two seconds (at most 120 s),
     * so that the first workload does not pay for the fill's background work; yields the wait.
     */
    private static long settle(long pid) {
        long start = System.nanoTime();
        while (System.nanoTime() - start < 120_000_000_000L) {
            long before = ProcessCpu.nanos(pid);
            long windowStart = System.nanoTime();
            for (int i = 0; i < 20; i++) {
                QuarryTarget.pause();
            }
            if (ProcessCpu.nanos(pid) - before < (System.nanoTime() - windowStart) / 10) {
                break;
            }
        }
        return System.nanoTime() - start;
    }

    private static String label(Target t) {
        return t instanceof QuarryTarget ? ResultTable.QUARRY : t.name();
    }

    private static String rounds(Measurements m, String target) {
        return m.rounds(target).stream().map(r -> String.format(Locale.ROOT, "%.0f", r)).toList().toString();
    }

    /** A file of {@code size} pseudo-random bytes (fixed seed), the same content for both targets. */
    private static Path randomImage(Path file, long size) throws IOException {
        SplittableRandom random = new SplittableRandom(20261128L);
        byte[] chunk = new byte[1 << 20];
        try (OutputStream stream = Files.newOutputStream(file)) {
            for (long written = 0; written < size; written += chunk.length) {
                random.nextBytes(chunk);
                stream.write(chunk);
            }
        }
        return file;
    }

    private static String loadAverage() throws IOException {
        return Files.readString(Path.of("/proc/loadavg")).trim();
    }
}
