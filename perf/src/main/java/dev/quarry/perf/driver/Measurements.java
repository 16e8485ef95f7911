package dev.quarry.perf.driver;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The rounds of one workload against each target: requests per second and, where measured, CPU
 * nanoseconds of the target process per request; medians over rounds.
 *
 * <p>Not thread-safe.
 */
final class Measurements {

    private final Map<String, List<Double>> rates = new LinkedHashMap<>();
    private final Map<String, List<Double>> cpuPerRequest = new LinkedHashMap<>();

    /** Records one round of {@code target}. */
    void add(String target, double requestsPerSecond, double cpuNanosPerRequest) {
        rates.computeIfAbsent(target, t -> new ArrayList<>()).add(requestsPerSecond);
        cpuPerRequest.computeIfAbsent(target, t -> new ArrayList<>()).add(cpuNanosPerRequest);
    }

    /** Median requests per second of {@code target} (NaN when never run). */
    double rate(String target) {
        return median(rates.get(target));
    }

    /** Median CPU nanoseconds per request of {@code target}'s process (NaN when never run). */
    double cpu(String target) {
        return median(cpuPerRequest.get(target));
    }

    /** Median over rounds of the per-round ratio {@code a / b} (rounds run side by side). */
    double ratio(String a, String b) {
        List<Double> x = rates.get(a);
        List<Double> y = rates.get(b);
        if (x == null || y == null) {
            return Double.NaN;
        }
        List<Double> ratios = new ArrayList<>();
        for (int i = 0; i < Math.min(x.size(), y.size()); i++) {
            ratios.add(x.get(i) / y.get(i));
        }
        return median(ratios);
    }

    /** Every round of {@code target}, for the log. */
    List<Double> rounds(String target) {
        return rates.getOrDefault(target, List.of());
    }

    static double median(List<Double> values) {
        if (values == null || values.isEmpty()) {
            return Double.NaN;
        }
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).toArray();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }
}
