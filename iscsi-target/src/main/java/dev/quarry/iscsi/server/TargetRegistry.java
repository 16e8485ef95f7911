package dev.quarry.iscsi.server;

import dev.quarry.iscsi.login.ChapCredentials;
import dev.quarry.iscsi.login.TargetCatalog;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The targets a server exports, and the CHAP credentials of discovery sessions; the appliance
 * changes both at runtime. Logins read the entry current at that moment. Removing a target asks
 * its sessions to log out (listeners registered with {@link #onRemoval}).
 *
 * <p>Thread-safe. Names are compared case-insensitively.
 */
public final class TargetRegistry implements TargetCatalog<TargetEntry> {

    private final ConcurrentHashMap<String, TargetEntry> targets = new ConcurrentHashMap<>();
    private final List<Consumer<TargetEntry>> removalListeners = new CopyOnWriteArrayList<>();
    private volatile Optional<ChapCredentials> discoveryChap = Optional.empty();

    /** Adds or replaces the target named {@code entry.name()}; returns the entry replaced. */
    public Optional<TargetEntry> put(TargetEntry entry) {
        return Optional.ofNullable(targets.put(key(entry.name()), entry));
    }

    /** Removes the target named {@code name}; its sessions are asked to log out. */
    public Optional<TargetEntry> remove(String name) {
        TargetEntry removed = targets.remove(key(name));
        if (removed != null) {
            removalListeners.forEach(listener -> listener.accept(removed));
        }
        return Optional.ofNullable(removed);
    }

    @Override
    public Optional<TargetEntry> find(String name) {
        return Optional.ofNullable(targets.get(key(name)));
    }

    /** A snapshot of the exported targets. */
    public Collection<TargetEntry> targets() {
        return List.copyOf(targets.values());
    }

    @Override
    public Optional<ChapCredentials> discoveryChap() {
        return discoveryChap;
    }

    /** Sets the credentials discovery sessions must prove; {@code null} for none. */
    public void discoveryChap(ChapCredentials credentials) {
        discoveryChap = Optional.ofNullable(credentials);
    }

    /**
     * Calls {@code listener} (on the removing thread) with every target removed from now on, until
     * the returned subscription is closed.
     */
    public AutoCloseable onRemoval(Consumer<TargetEntry> listener) {
        removalListeners.add(listener);
        return () -> removalListeners.remove(listener);
    }

    private static String key(String name) {
        return name.toLowerCase(Locale.ROOT);
    }
}
