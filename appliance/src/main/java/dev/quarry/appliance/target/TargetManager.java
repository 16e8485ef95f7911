package dev.quarry.appliance.target;

import dev.quarry.iscsi.scsi.LogicalUnit;
import dev.quarry.iscsi.scsi.ScsiTargetDevice;
import dev.quarry.iscsi.server.AccessPolicy;
import dev.quarry.iscsi.server.TargetEntry;
import dev.quarry.iscsi.server.TargetRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;

/**
 * The targets the appliance exports, kept in step three ways: the stored configuration (which
 * survives restarts), the SCSI target devices with their LUN maps, and the transport's registry
 * of names, access lists and CHAP secrets. Every change is validated, stored durably, then
 * applied; creating is idempotent by name. A snapshot's unit is closed once no target maps it
 * (see {@link LunRegistry#release}).
 *
 * <p>Thread-safe (one monitor serialises changes); methods block on file I/O, so call them from
 * admin threads, never from an event loop.
 */
public final class TargetManager {

    private final TargetConfigStore store;
    private final LunRegistry luns;
    private final TargetRegistry registry;
    private final List<Integer> portalGroupTags;
    private final Map<String, ScsiTargetDevice> devices = new HashMap<>();
    private TargetsDocument document = TargetsDocument.empty();

    public TargetManager(TargetConfigStore store, LunRegistry luns, TargetRegistry registry, List<Integer> portalGroupTags) {
        this.store = store;
        this.luns = luns;
        this.registry = registry;
        this.portalGroupTags = List.copyOf(portalGroupTags);
    }

    /** Loads the stored configuration and exports every target in it. */
    public synchronized void start() throws IOException {
        document = store.load();
        document.targets().forEach(this::apply);
        applyDiscoveryChap(document.discoveryChap());
    }

    /** Every export ({@code vol} or {@code vol@snap}) that a LUN of some target maps. */
    public synchronized Set<String> mappedExports() {
        return document.targets().stream().flatMap(t -> t.luns().stream()).map(LunMapping::volume)
                .collect(Collectors.toUnmodifiableSet());
    }

    public synchronized List<TargetDefinition> targets() {
        return document.targets();
    }

    public synchronized Optional<TargetDefinition> target(String name) {
        return find(name);
    }

    /**
     * Creates {@code definition}; the same definition again returns the existing target, a
     * different one under the same name is refused with {@link IllegalStateException}.
     */
    public synchronized TargetDefinition create(TargetDefinition definition) {
        Optional<TargetDefinition> existing = find(definition.name());
        if (existing.isPresent()) {
            if (existing.get().equals(definition)) {
                return existing.get();
            }
            throw new IllegalStateException("a different target named " + definition.name() + " exists");
        }
        List<TargetDefinition> next = new ArrayList<>(document.targets());
        next.add(definition);
        commit(definition, next);
        return definition;
    }

    /** Changes target {@code name} (map or unmap LUNs, access list, CHAP, alias). */
    public synchronized TargetDefinition update(String name, UnaryOperator<TargetDefinition> change) {
        TargetDefinition current = find(name).orElseThrow(() -> new NoSuchElementException("no target named " + name));
        TargetDefinition changed = change.apply(current);
        if (!changed.name().equals(name)) {
            throw new IllegalArgumentException("a target cannot be renamed");
        }
        List<TargetDefinition> next = document.targets().stream().map(t -> t.name().equals(name) ? changed : t).toList();
        commit(changed, next);
        return changed;
    }

    /** Stops exporting target {@code name}: its sessions are asked to log out. */
    public synchronized void delete(String name) {
        find(name).orElseThrow(() -> new NoSuchElementException("no target named " + name));
        save(new TargetsDocument(TargetsDocument.CURRENT_VERSION, document.discoveryChap(),
                document.targets().stream().filter(t -> !t.name().equals(name)).toList()));
        registry.remove(name);
        devices.remove(name);
        luns.release(mappedExports());
    }

    /** The CHAP settings discovery sessions must prove, or null for none. */
    public synchronized ChapSettings currentDiscoveryChap() {
        return document.discoveryChap();
    }

    /** The CHAP secrets discovery sessions must prove, or null for none. */
    public synchronized void discoveryChap(ChapSettings chap) {
        save(new TargetsDocument(TargetsDocument.CURRENT_VERSION, chap, document.targets()));
        applyDiscoveryChap(chap);
    }

    private Optional<TargetDefinition> find(String name) {
        return document.targets().stream().filter(t -> t.name().equals(name)).findFirst();
    }

    /** Validates what can fail before anything is stored, stores, then applies. */
    private void commit(TargetDefinition changed, List<TargetDefinition> next) {
        try {
            entryFor(changed, new ScsiTargetDevice(changed.name(), portalGroupTags));
            changed.luns().forEach(mapping -> luns.unitFor(mapping.volume(), mapping.readOnly()));
            save(new TargetsDocument(TargetsDocument.CURRENT_VERSION, document.discoveryChap(), next));
            apply(changed);
        } finally {
            luns.release(mappedExports());
        }
    }

    private void save(TargetsDocument next) {
        try {
            store.save(next);
        } catch (IOException e) {
            throw new UncheckedIOException("storing the target configuration in " + store.file() + " failed", e);
        }
        document = next;
    }

    /** Brings the device's LUN map and the registry entry in line with {@code definition}. */
    private void apply(TargetDefinition definition) {
        ScsiTargetDevice device = devices.computeIfAbsent(definition.name(), name -> new ScsiTargetDevice(name, portalGroupTags));
        Map<Integer, LogicalUnit> wanted = new HashMap<>();
        for (LunMapping mapping : definition.luns()) {
            wanted.put(mapping.lun(), luns.unitFor(mapping.volume(), mapping.readOnly()));
        }
        for (Integer lun : List.copyOf(device.luns().keySet())) {
            if (!wanted.containsKey(lun)) {
                device.unmap(lun);
            }
        }
        wanted.forEach((lun, unit) -> {
            if (device.luns().get(lun) != unit) {
                if (device.luns().containsKey(lun)) {
                    device.unmap(lun);
                }
                device.map(lun, unit);
            }
        });
        registry.put(entryFor(definition, device));
    }

    private static TargetEntry entryFor(TargetDefinition definition, ScsiTargetDevice device) {
        TargetEntry entry = TargetEntry.open(definition.name(), device);
        if (definition.alias() != null) {
            entry = entry.withAlias(definition.alias());
        }
        if (!definition.allowedInitiators().isEmpty()) {
            entry = entry.withAccess(AccessPolicy.allow(definition.allowedInitiators()));
        }
        if (definition.chap() != null) {
            entry = entry.withChap(definition.chap().toCredentials());
        }
        return entry;
    }

    private void applyDiscoveryChap(ChapSettings chap) {
        registry.discoveryChap(chap == null ? null : chap.toCredentials());
    }
}
