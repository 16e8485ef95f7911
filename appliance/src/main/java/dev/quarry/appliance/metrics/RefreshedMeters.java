package dev.quarry.appliance.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * Gauges and counters whose set follows the appliance's objects (pools, disks, volumes, targets):
 * each scrape sets the values it saw between {@link #begin()} and {@link #end()}, registering
 * meters for new objects and removing those of objects that are gone, so a deleted pool stops
 * being exported instead of freezing at its last value.
 *
 * <p>Thread-safe (one refresh at a time).
 */
final class RefreshedMeters {

    private final MeterRegistry registry;
    private final Map<Key, Entry> entries = new HashMap<>();

    private record Key(String name, Tags tags) {
    }

    /** A value that a meter reads, and the meter. */
    private static final class Entry {
        volatile double value;
        Meter meter;
        boolean seen;

        double value() {
            return value;
        }
    }

    RefreshedMeters(MeterRegistry registry) {
        this.registry = registry;
    }

    synchronized void begin() {
        entries.values().forEach(e -> e.seen = false);
    }

    /** Sets gauge {@code name} with {@code tags} to {@code value}; {@code unit} may be null. */
    synchronized void gauge(String name, String unit, String description, Tags tags, double value) {
        Entry entry = entries.get(new Key(name, tags));
        if (entry == null) {
            entry = new Entry();
            entry.meter = Gauge.builder(name, entry, Entry::value).baseUnit(unit).description(description)
                    .tags(tags).strongReference(true).register(registry);
            entries.put(new Key(name, tags), entry);
        }
        entry.value = value;
        entry.seen = true;
    }

    /** Sets counter {@code name} with {@code tags} to {@code total}, a count kept by its source since start. */
    synchronized void counter(String name, String unit, String description, Tags tags, double total) {
        Entry entry = entries.get(new Key(name, tags));
        if (entry == null) {
            entry = new Entry();
            entry.meter = FunctionCounter.builder(name, entry, Entry::value).baseUnit(unit).description(description)
                    .tags(tags).register(registry);
            entries.put(new Key(name, tags), entry);
        }
        entry.value = total;
        entry.seen = true;
    }

    /** Removes the meters that this refresh did not set. */
    synchronized void end() {
        for (Iterator<Entry> it = entries.values().iterator(); it.hasNext();) {
            Entry entry = it.next();
            if (!entry.seen) {
                registry.remove(entry.meter);
                it.remove();
            }
        }
    }
}
