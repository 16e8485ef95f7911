package dev.quarry.perf.driver;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs one workload against one LUN URL with a real initiator and reports requests per second:
 * {@code qemu-img bench} (QEMU's own block layer over libiscsi: a fixed request count, timed by
 * the tool) or {@code iscsi-perf} (libiscsi's READ(16) load generator: a fixed time, its own
 * average).
 *
 * <p>Stateless and thread-safe.
 */
final class Initiator {

    /** The byte written by write workloads (never zero, so no target can skip a zero block). */
    static final int PATTERN = 0x5A;

    private static final Pattern QEMU_DONE = Pattern.compile("Run completed in ([0-9.]+) seconds");
    private static final Pattern PERF_AVERAGE = Pattern.compile("iops average ([0-9]+)");

    private final String qemuImg;
    private final String iscsiPerf;

    Initiator() {
        this.qemuImg = ChildProcess.program("qemu-img", "qemu-utils qemu-block-extra");
        this.iscsiPerf = ChildProcess.program("iscsi-perf", "libiscsi-bin");
    }

    /**
     * Runs {@code workload} against {@code url}: {@code requests} requests for qemu-img bench,
     * {@code seconds} seconds for iscsi-perf. Yields requests per second.
     */
    double run(Workload workload, String url, long requests, int seconds) {
        return switch (workload.tool()) {
            case QEMU_IMG_BENCH -> qemuBench(workload, url, requests);
            case ISCSI_PERF -> iscsiPerf(workload, url, seconds);
        };
    }

    private double qemuBench(Workload workload, String url, long requests) {
        List<String> command = new ArrayList<>(List.of(qemuImg, "bench", "-f", "raw", "-c", Long.toString(requests),
                "-d", Integer.toString(workload.depth()), "-s", Integer.toString(workload.requestBytes()),
                "-S", Long.toString((long) workload.strideBlocks() * (workload.strideBlocks() == 1 ? workload.requestBytes() : 4096))));
        if (workload.write()) {
            command.addAll(List.of("-w", "--pattern=" + PATTERN));
        }
        command.add(url);
        String output = ChildProcess.run(command, Duration.ofMinutes(3));
        Matcher done = QEMU_DONE.matcher(output);
        if (!done.find()) {
            throw new IllegalStateException("no timing in qemu-img bench output:\n" + output);
        }
        return requests / Double.parseDouble(done.group(1));
    }

    private double iscsiPerf(Workload workload, String url, int seconds) {
        List<String> command = new ArrayList<>(List.of(iscsiPerf, "-m", Integer.toString(workload.depth()),
                "-b", Integer.toString(workload.requestBytes() / 512), "-t", Integer.toString(seconds)));
        if (workload.random()) {
            command.add("-r");
        }
        command.add(url);
        String output = ChildProcess.run(command, Duration.ofSeconds(seconds + 60L));
        Matcher average = PERF_AVERAGE.matcher(output);
        String last = null;
        while (average.find()) {
            last = average.group(1);
        }
        if (last == null) {
            throw new IllegalStateException("no average in iscsi-perf output:\n" + output);
        }
        return Double.parseDouble(last);
    }

    /** Copies the raw image {@code source} onto the LUN at {@code url} (8 requests in flight). */
    void fill(String source, String url) {
        ChildProcess.run(List.of(qemuImg, "convert", "-n", "-W", "-m", "8", "-f", "raw", "-O", "raw", source, url),
                Duration.ofMinutes(5));
    }
}
