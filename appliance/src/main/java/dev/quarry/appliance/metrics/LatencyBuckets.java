package dev.quarry.appliance.metrics;

import java.time.Duration;

/**
 * The bucket bounds of every command latency histogram: fine enough for flash (10 µs steps at the
 * bottom) and wide enough for a stalled remote disk (10 s at the top), 1-2.5-5 per decade.
 */
final class LatencyBuckets {

    /** 10 µs … 10 s; Prometheus adds +Inf. */
    static final Duration[] BOUNDS = {
        micros(10), micros(25), micros(50), micros(100), micros(250), micros(500),
        micros(1_000), micros(2_500), micros(5_000), micros(10_000), micros(25_000), micros(50_000),
        micros(100_000), micros(250_000), micros(500_000),
        Duration.ofSeconds(1), Duration.ofMillis(2_500), Duration.ofSeconds(5), Duration.ofSeconds(10),
    };

    private LatencyBuckets() {
    }

    private static Duration micros(long value) {
        return Duration.ofNanos(value * 1_000);
    }
}
