package dev.quarry.iscsi.session;

import dev.quarry.iscsi.login.ExistingSessions;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every live session of a server: assigns TSIHs (16 bits, never 0, unique among live sessions)
 * and finds the session a new login reinstates (same initiator name, ISID and target, RFC 7143
 * §6.3.5). Registration replaces the old session atomically; the caller terminates it.
 *
 * <p>Thread-safe: logins on every event loop register and unregister concurrently. Changes hold the
 * registry's monitor for a few map operations (never across I/O); lookups read without it.
 */
public final class SessionRegistry implements ExistingSessions {

    /** The outcome of {@link #register}. */
    public record Registration(int tsih, Optional<SessionHandle> replaced) {
    }

    private static final int TSIH_SPACE = 0xFFFF;

    private final Map<SessionKey, Entry> byKey = new ConcurrentHashMap<>();
    private final Map<Integer, Entry> byTsih = new ConcurrentHashMap<>();
    private final int maxSessions;
    private int nextTsih = 1;

    private record Entry(SessionKey key, int tsih, SessionHandle handle, java.time.Instant since) {
    }

    /**
     * @param maxSessions the most live sessions (at most 65535, the TSIH space)
     */
    public SessionRegistry(int maxSessions) {
        if (maxSessions < 1 || maxSessions > TSIH_SPACE) {
            throw new IllegalArgumentException("maxSessions must be in [1, 65535]: " + maxSessions);
        }
        this.maxSessions = maxSessions;
    }

    /**
     * Registers {@code handle} under {@code key} with a fresh TSIH; an existing session with the
     * same key is removed and returned for reinstatement.
     *
     * @return empty when the registry is full
     */
    public synchronized Optional<Registration> register(SessionKey key, SessionHandle handle) {
        Entry old = byKey.remove(key);
        if (old != null) {
            byTsih.remove(old.tsih());
        }
        if (byTsih.size() >= maxSessions) {
            if (old != null) {
                byKey.put(key, old);
                byTsih.put(old.tsih(), old);
            }
            return Optional.empty();
        }
        int tsih = allocateTsih();
        Entry entry = new Entry(key, tsih, handle, java.time.Instant.now());
        byKey.put(key, entry);
        byTsih.put(tsih, entry);
        return Optional.of(new Registration(tsih, Optional.ofNullable(old).map(Entry::handle)));
    }

    /** Removes the session {@code handle} registered as {@code tsih}, if it is still the one there. */
    public synchronized void unregister(int tsih, SessionHandle handle) {
        Entry entry = byTsih.get(tsih);
        if (entry != null && entry.handle() == handle) {
            byTsih.remove(tsih);
            byKey.remove(entry.key(), entry);
        }
    }

    @Override
    public boolean exists(int tsih, String initiatorName, long isid) {
        Entry entry = byTsih.get(tsih);
        return entry != null && entry.key().initiatorName().equals(initiatorName) && entry.key().isid() == isid;
    }

    /** The live sessions of {@code targetName}. */
    public List<SessionHandle> sessionsOf(String targetName) {
        return byTsih.values().stream().filter(e -> e.key().targetName().equals(targetName)).map(Entry::handle).toList();
    }

    /** Every live session, by TSIH. */
    public List<SessionSummary> summaries() {
        return byTsih.values().stream()
                .map(e -> new SessionSummary(e.tsih(), e.key().initiatorName(), e.key().isid(), e.key().targetName(),
                        e.handle().initiatorAddress(), e.handle().portalAddress(), e.since()))
                .sorted(java.util.Comparator.comparingInt(SessionSummary::tsih)).toList();
    }

    /** The live session registered as {@code tsih}. */
    public Optional<SessionHandle> find(int tsih) {
        return Optional.ofNullable(byTsih.get(tsih)).map(Entry::handle);
    }

    public int size() {
        return byTsih.size();
    }

    /** The keys of the live sessions (a copy, for metrics and the admin API). */
    public List<SessionKey> keys() {
        return byTsih.values().stream().map(Entry::key).toList();
    }

    private int allocateTsih() {
        while (true) {
            int tsih = nextTsih;
            nextTsih = nextTsih == TSIH_SPACE ? 1 : nextTsih + 1;
            if (!byTsih.containsKey(tsih)) {
                return tsih;
            }
        }
    }
}
