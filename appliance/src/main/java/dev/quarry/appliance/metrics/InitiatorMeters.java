package dev.quarry.appliance.metrics;

import dev.quarry.iscsi.scsi.CommandKind;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Opt-in per-initiator command and byte counters ({@code quarry_initiator_commands_total},
 * {@code quarry_initiator_bytes_total}), at most {@link MetricsSettings#maxInitiators()} initiators
 * with series of their own; later ones share {@value #OVERFLOW}. A known initiator costs one
 * hash lookup per command, no lock and no allocation; only its first command takes a lock.
 *
 * <p>Thread-safe.
 */
final class InitiatorMeters {

    /** The initiator label of initiators beyond the cap. */
    static final String OVERFLOW = "_overflow";
    /** Names remembered (mapped to their series or to the overflow series) before lookups stop caching. */
    private static final int NAME_MEMORY_FACTOR = 16;

    private final MeterRegistry registry;
    private final boolean enabled;
    private final int maxSeries;
    private final Map<String, Series> byName = new ConcurrentHashMap<>();
    private final Series overflow;
    private int series;

    InitiatorMeters(MeterRegistry registry, MetricsSettings settings) {
        this.registry = registry;
        this.enabled = settings.perInitiator();
        this.maxSeries = settings.maxInitiators();
        this.overflow = enabled ? new Series(registry, OVERFLOW) : null;
    }

    boolean enabled() {
        return enabled;
    }

    /** The label under which {@code initiator} is reported (its name, or {@link #OVERFLOW} beyond the cap). */
    String label(String initiator) {
        return seriesOf(initiator).name;
    }

    /** Counts one finished command of {@code initiator}; a no-op unless per-initiator series are on. */
    void record(String initiator, CommandKind kind, long bytes) {
        if (!enabled) {
            return;
        }
        Series s = seriesOf(initiator);
        s.commands[kind.ordinal()].increment();
        Counter moved = s.bytes[kind.ordinal()];
        if (moved != null && bytes > 0) {
            moved.increment(bytes);
        }
    }

    private Series seriesOf(String initiator) {
        Series s = byName.get(initiator);
        return s != null ? s : admit(initiator);
    }

    private Series admit(String initiator) {
        if (byName.size() >= maxSeries * NAME_MEMORY_FACTOR) {
            return overflow;
        }
        synchronized (this) {
            Series s = byName.get(initiator);
            if (s == null) {
                s = series < maxSeries ? new Series(registry, initiator) : overflow;
                if (s != overflow) {
                    series++;
                }
                byName.put(initiator, s);
            }
            return s;
        }
    }

    /** The counters of one initiator label. */
    private static final class Series {
        final String name;
        final Counter[] commands = new Counter[CommandKind.values().length];
        /** Read and write only: other commands move no host data. */
        final Counter[] bytes = new Counter[CommandKind.values().length];

        Series(MeterRegistry registry, String name) {
            this.name = name;
            for (CommandKind kind : CommandKind.values()) {
                String op = kind.name().toLowerCase(Locale.ROOT);
                commands[kind.ordinal()] = Counter.builder("quarry.initiator.commands")
                        .description("SCSI commands finished, per initiator (opt-in)")
                        .tags("initiator", name, "op", op).register(registry);
                if (kind == CommandKind.OTHER) {
                    continue;
                }
                bytes[kind.ordinal()] = Counter.builder("quarry.initiator").baseUnit("bytes")
                        .description("Host data moved by reads and writes, per initiator (opt-in)")
                        .tags("initiator", name, "op", op).register(registry);
            }
        }
    }
}
