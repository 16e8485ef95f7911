package dev.quarry.appliance.api;

import dev.quarry.volume.pool.Job;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The long operations started through the API (disk drains, snapshot deletions, rollbacks and
 * clones) or resumed at start, so that {@code /jobs/{id}} reports their progress. Keeps every
 * running job and the last {@link #FINISHED_KEPT} finished ones; a second request for the same
 * operation gets the job already running.
 *
 * <p>Thread-safe (one monitor around a small map).
 */
public final class JobRegistry {

    /** Finished jobs remembered for clients that poll late. */
    static final int FINISHED_KEPT = 100;

    private final Map<String, Entry> byId = new LinkedHashMap<>();

    private record Entry(Job job, String operation) {
    }

    /**
     * The running job for {@code operation} (e.g. "drain pool/disk"), or the one {@code start}
     * begins.
     */
    public synchronized Job startOnce(String operation, java.util.function.Supplier<Job> start) {
        Optional<Job> running = running(operation);
        if (running.isPresent()) {
            return running.get();
        }
        Job job = start.get();
        byId.put(job.id(), new Entry(job, operation));
        forgetOldFinished();
        return job;
    }

    /** Lists a job started elsewhere (a drain or snapshot job a restart resumed) under its own id. */
    public synchronized void adopt(Job job) {
        byId.putIfAbsent(job.id(), new Entry(job, "resumed " + job.id()));
    }

    /** The running job for {@code operation}, if one was started here. */
    public synchronized Optional<Job> running(String operation) {
        return byId.values().stream().filter(e -> e.operation().equals(operation) && e.job().state() == Job.State.RUNNING)
                .map(Entry::job).findFirst();
    }

    public synchronized Optional<Job> find(String id) {
        return Optional.ofNullable(byId.get(id)).map(Entry::job);
    }

    /** Every job remembered, by id. */
    public synchronized List<Job> jobs() {
        List<Job> jobs = new ArrayList<>(byId.values().stream().map(Entry::job).toList());
        jobs.sort(Comparator.comparing(Job::id));
        return jobs;
    }

    private void forgetOldFinished() {
        List<String> finished = byId.values().stream().filter(e -> e.job().state() != Job.State.RUNNING)
                .map(e -> e.job().id()).toList();
        for (int i = 0; i < finished.size() - FINISHED_KEPT; i++) {
            byId.remove(finished.get(i));
        }
    }
}
