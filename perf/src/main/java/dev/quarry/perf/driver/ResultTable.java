package dev.quarry.perf.driver;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.Map;

/**
 * Prints the benchmark's one table (Markdown): per workload the medians of Quarry, tgtd
 * ({@code rdwr}) and tgtd's {@code null} backing store, the median per-round ratio Quarry/tgtd,
 * and CPU microseconds per request of each target process.
 *
 * <p>Stateless and thread-safe.
 */
final class ResultTable {

    static final String QUARRY = "Quarry";
    static final String TGTD = "tgtd rdwr";
    static final String NULL = "tgtd null";

    private ResultTable() {
    }

    static void print(PrintWriter out, Map<Workload, Measurements> results) {
        out.println("| workload | initiator | Quarry | tgtd (rdwr) | ratio Quarry/tgtd | tgtd null (ceiling) "
                + "| Quarry CPU/IO | tgtd CPU/IO |");
        out.println("|---|---|---:|---:|---:|---:|---:|---:|");
        for (Map.Entry<Workload, Measurements> row : results.entrySet()) {
            Workload w = row.getKey();
            Measurements m = row.getValue();
            out.println(String.format(Locale.ROOT, "| %s | %s | %s | %s | **%.2f×** | %s | %.1f µs | %.1f µs |",
                    w.name(), w.tool() == Workload.Tool.QEMU_IMG_BENCH ? "qemu-img bench" : "iscsi-perf",
                    rate(w, m.rate(QUARRY)), rate(w, m.rate(TGTD)), m.ratio(QUARRY, TGTD), rate(w, m.rate(NULL)),
                    m.cpu(QUARRY) / 1000, m.cpu(TGTD) / 1000));
        }
        out.flush();
    }

    /** IOPS, or MiB/s for large requests, and the mean latency at queue depth 1. */
    static String rate(Workload w, double requestsPerSecond) {
        if (Double.isNaN(requestsPerSecond)) {
            return "–";
        }
        if (w.large()) {
            return String.format(Locale.ROOT, "%.0f MiB/s", requestsPerSecond * w.requestBytes() / (1 << 20));
        }
        if (w.depth() == 1) {
            return String.format(Locale.ROOT, "%.0f IOPS (%.0f µs)", requestsPerSecond, 1e6 / requestsPerSecond);
        }
        return String.format(Locale.ROOT, "%.0f IOPS", requestsPerSecond);
    }
}
