package dev.quarry.appliance.metrics;

/**
 * What the metrics export beyond the always-on series.
 *
 * <p>Immutable and thread-safe.
 *
 * @param perInitiator export series labelled by initiator name (commands, bytes, sessions); off by
 *     default because initiator names are chosen by hosts, so their number is not the
 *     appliance's to bound
 * @param maxInitiators with {@code perInitiator}, how many initiators get series of their own; the
 *     rest share the series labelled {@value InitiatorMeters#OVERFLOW}
 */
public record MetricsSettings(boolean perInitiator, int maxInitiators) {

    public MetricsSettings {
        if (maxInitiators < 1 || maxInitiators > 10_000) {
            throw new IllegalArgumentException("maxInitiators must be in [1, 10000]: " + maxInitiators);
        }
    }

    /** Per-initiator series off (64 initiators when turned on). */
    public static MetricsSettings defaults() {
        return new MetricsSettings(false, 64);
    }

    public MetricsSettings withPerInitiator(boolean enabled) {
        return new MetricsSettings(enabled, maxInitiators);
    }

    public MetricsSettings withMaxInitiators(int max) {
        return new MetricsSettings(perInitiator, max);
    }
}
