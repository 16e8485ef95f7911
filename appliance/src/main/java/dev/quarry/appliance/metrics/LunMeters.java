package dev.quarry.appliance.metrics;

import dev.quarry.iscsi.scsi.CommandKind;
import dev.quarry.iscsi.scsi.ItNexus;
import dev.quarry.iscsi.scsi.LogicalUnit;
import dev.quarry.iscsi.scsi.LogicalUnitMetrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * The meters of one logical unit, labelled {@code volume} and {@code access} ({@code rw} or
 * {@code ro}): commands by kind and result, bytes read and written, a latency histogram per kind
 * and the queue depth. Every meter is resolved once here, so a command costs two counter
 * increments and one histogram update (adders and atomic arrays: no lock, no allocation). A unit
 * closed for good (an unmapped snapshot) takes its meters away with {@link #remove()}.
 *
 * <p>Thread-safe.
 */
final class LunMeters implements LogicalUnitMetrics {

    private static final int KINDS = CommandKind.values().length;

    private final MeterRegistry registry;
    private final Tags tags;
    private final InitiatorMeters initiators;
    private final Counter[] good = new Counter[KINDS];
    private final Counter[] failed = new Counter[KINDS];
    private final Counter[] bytes = new Counter[KINDS];
    private final Timer[] latency = new Timer[KINDS];
    private final List<Meter> registered = new CopyOnWriteArrayList<>();

    LunMeters(MeterRegistry registry, String volume, boolean readOnly, InitiatorMeters initiators) {
        this.registry = registry;
        this.tags = Tags.of("volume", volume, "access", readOnly ? "ro" : "rw");
        this.initiators = initiators;
        for (CommandKind kind : CommandKind.values()) {
            int k = kind.ordinal();
            Tags op = tags.and("op", kind.name().toLowerCase(Locale.ROOT));
            good[k] = commands(op.and("result", "good"));
            failed[k] = commands(op.and("result", "error"));
            latency[k] = Timer.builder("quarry.lun.command")
                    .description("Time from a command's arrival at the LUN to its response")
                    .tags(op).serviceLevelObjectives(LatencyBuckets.BOUNDS).register(registry);
            registered.add(latency[k]);
            if (kind != CommandKind.OTHER) {
                bytes[k] = Counter.builder("quarry.lun").baseUnit("bytes")
                        .description("Host data moved by reads (Data-In) and writes (Data-Out) that ended GOOD")
                        .tags(op).register(registry);
                registered.add(bytes[k]);
            }
        }
    }

    private Counter commands(Tags commandTags) {
        Counter counter = Counter.builder("quarry.lun.commands")
                .description("SCSI commands finished, by kind (read, write, other) and result (good, error)")
                .tags(commandTags).register(registry);
        registered.add(counter);
        return counter;
    }

    /** Exports {@code unit}'s queue depth (read when scraped). */
    void observe(LogicalUnit unit) {
        registered.add(Gauge.builder("quarry.lun.queue.depth", unit, LogicalUnit::queueDepth)
                .description("Tasks in the LUN's task set, running or waiting")
                .tags(tags).strongReference(true).register(registry));
    }

    /** Removes every meter of this unit from the registry (the unit is gone for good). */
    void remove() {
        registered.forEach(registry::remove);
        registered.clear();
    }

    @Override
    public void commandCompleted(ItNexus nexus, CommandKind kind, long moved, long nanos, boolean ok) {
        int k = kind.ordinal();
        (ok ? good : failed)[k].increment();
        Counter movedBytes = bytes[k];
        if (movedBytes != null && moved > 0) {
            movedBytes.increment(moved);
        }
        latency[k].record(nanos, TimeUnit.NANOSECONDS);
        initiators.record(nexus.initiatorName(), kind, moved);
    }
}
