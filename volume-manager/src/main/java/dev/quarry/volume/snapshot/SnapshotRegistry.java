package dev.quarry.volume.snapshot;

import dev.quarry.block.BlockVolume;
import dev.quarry.volume.meta.schema.IdKey;
import dev.quarry.volume.meta.schema.Schema;
import dev.quarry.volume.meta.schema.SnapshotKey;
import dev.quarry.volume.meta.schema.SystemKey;
import dev.quarry.volume.meta.schema.ValueCodecs;
import dev.quarry.volume.meta.store.Batch;
import dev.quarry.volume.meta.store.MetadataStore;
import dev.quarry.volume.meta.store.Sequences;
import dev.quarry.volume.pool.Job;
import dev.quarry.volume.pool.Names;
import dev.quarry.volume.thin.CloneOrigin;
import dev.quarry.volume.thin.ThinVolume;
import dev.quarry.volume.thin.VolumeRecord;
import dev.quarry.volume.thin.VolumeRegistry;
import dev.quarry.volume.thin.VolumeState;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Snapshots, rollbacks and clones of thin volumes (DESIGN "Snapshots and clones"). Taking or
 * deleting a snapshot is a barrier on its volume (every write started before it has finished and
 * is committed, every later one waits) that changes the volume's retention and writes one small
 * batch: O(1) metadata whatever the volume's size. The long parts (reclaiming a deleted
 * snapshot's blocks, a rollback, copying a clone's map) run as jobs, one at a time, on their own
 * thread, and resume after a restart. Admin changes hold the volume registry's lock, so they never
 * interleave with a resize or a deletion.
 *
 * <p>Thread-safe. Admin methods block.
 */
public final class SnapshotRegistry implements SnapshotService, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SnapshotRegistry.class);
    private static final long BARRIER_SECONDS = 60;

    private final MetadataStore store;
    private final VolumeRegistry volumes;
    private final SnapshotCatalog catalog;
    private final Runnable chunksListed;
    private final Sequences sequences;
    private final EpochMap map;
    private final ExecutorService jobs;
    private final AtomicLong jobIds = new AtomicLong();
    private final Map<Long, Integer> exports = new HashMap<>();
    private final Map<String, SnapshotJob> clones = new HashMap<>();
    private final Map<Long, SnapshotJob> reclaims = new HashMap<>();

    /** {@code chunksListed} is told after a snapshot's reclaim listed chunks in {@code pendingfree} (the collector walks it). */
    public SnapshotRegistry(MetadataStore store, VolumeRegistry volumes, SnapshotCatalog catalog, Runnable chunksListed) {
        this.store = store;
        this.volumes = volumes;
        this.catalog = catalog;
        this.chunksListed = chunksListed;
        this.sequences = new Sequences(store);
        this.map = new EpochMap(store);
        this.jobs = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "snapshot-jobs");
            t.setDaemon(true);
            return t;
        });
    }

    /** Resumes the reclaims and clone copies a restart interrupted. */
    public void recover() {
        synchronized (volumes) {
            for (SnapshotRecord deleting : catalog.deleting()) {
                startReclaim(deleting);
            }
            for (VolumeRecord clone : volumes.listVolumes()) {
                if (clone.state() == VolumeState.CLONING) {
                    Optional<SnapshotRecord> source = catalog.of(clone.origin().volumeId()).stream()
                            .filter(s -> s.id() == clone.origin().snapshotId()).findFirst();
                    if (source.isEmpty()) {
                        LOG.error("clone {} names missing snapshot {}; it stays CLONING", clone.name(), clone.origin().label());
                    } else {
                        startCopy(source.get(), clone);
                    }
                }
            }
        }
    }

    /** The snapshot jobs running now (those a restart resumed included). */
    public List<Job> runningJobs() {
        synchronized (volumes) {
            List<Job> running = new ArrayList<>(reclaims.values());
            running.addAll(clones.values());
            running.removeIf(j -> j.state() != Job.State.RUNNING);
            return running;
        }
    }

    @Override
    public SnapshotRecord createSnapshot(String volume, String name) {
        Names.check(name);
        synchronized (volumes) {
            ThinVolume handle = writable(volume);
            Optional<SnapshotRecord> existing = catalog.find(handle.record().id(), name);
            if (existing.isPresent()) {
                if (existing.get().state() != SnapshotState.ACTIVE) {
                    throw new IllegalStateException("snapshot " + volume + "@" + name + " is being deleted");
                }
                return existing.get();
            }
            long id = sequences.next(SystemKey.NEXT_SNAPSHOT_ID, 1);
            return barrier(handle, () -> {
                VolumeRecord current = handle.record();
                SnapshotRecord snapshot = new SnapshotRecord(current.id(), id, name, current.epoch(), current.sizeBytes(),
                        System.currentTimeMillis(), SnapshotState.ACTIVE);
                VolumeRecord next = current.nextEpoch();
                persist(snapshot, next);
                catalog.put(snapshot);
                handle.retained(next, catalog.retentionOf(next));
                LOG.info("snapshot {}@{} taken at epoch {}", volume, name, snapshot.epoch());
                return snapshot;
            });
        }
    }

    @Override
    public List<SnapshotRecord> listSnapshots(String volume) {
        VolumeRecord record = volumes.volume(volume).orElseThrow(() -> new NoSuchElementException("no volume named " + volume));
        return catalog.of(record.id()).stream().filter(s -> s.state() == SnapshotState.ACTIVE).toList();
    }

    @Override
    public Optional<SnapshotRecord> snapshot(String volume, String name) {
        return listSnapshots(volume).stream().filter(s -> s.name().equals(name)).findFirst();
    }

    @Override
    public Job deleteSnapshot(String volume, String name) {
        synchronized (volumes) {
            ThinVolume handle = volumes.handle(volume);
            SnapshotRecord snapshot = catalog.find(handle.record().id(), name)
                    .orElseThrow(() -> new NoSuchElementException("no snapshot named " + volume + "@" + name));
            if (snapshot.state() == SnapshotState.DELETING) {
                SnapshotJob running = reclaims.get(snapshot.id());
                if (running != null) {
                    return running;
                }
                throw new NoSuchElementException("no snapshot named " + volume + "@" + name);
            }
            refuseIfInUse(snapshot, volume + "@" + name);
            SnapshotRecord deleting = snapshot.deleting();
            barrier(handle, () -> {
                persist(deleting, null);
                catalog.put(deleting);
                handle.retained(handle.record(), catalog.retentionOf(handle.record()));
                return deleting;
            });
            return startReclaim(deleting);
        }
    }

    @Override
    public Job rollback(String volume, String snapshotName) {
        synchronized (volumes) {
            ThinVolume handle = writable(volume);
            SnapshotRecord snapshot = active(handle.record(), volume, snapshotName);
            if (snapshot.sizeBytes() != handle.record().sizeBytes()) {
                throw new IllegalStateException("volume " + volume + " grew since snapshot " + snapshotName
                        + " was taken; a rollback would not shrink it back");
            }
            SnapshotJob job = new SnapshotJob("rollback-" + jobIds.incrementAndGet(),
                    "roll back volume " + volume + " to snapshot " + snapshotName, snapshot.sizeBytes());
            VolumeRollback rollback = new VolumeRollback(map, volumes.context().committer());
            run(job, () -> {
                long changed = handle.exclusively(() -> CompletableFuture.completedFuture(rollback.run(handle, snapshot, job))).join();
                LOG.info("volume {} rolled back to snapshot {}: {} blocks remapped", volume, snapshotName, changed);
            });
            return job;
        }
    }

    @Override
    public Job cloneSnapshot(String volume, String snapshotName, String cloneName) {
        Names.check(cloneName);
        synchronized (volumes) {
            ThinVolume source = volumes.handle(volume);
            SnapshotRecord snapshot = active(source.record(), volume, snapshotName);
            CloneOrigin origin = new CloneOrigin(source.record().id(), snapshot.id(), volume + "@" + snapshotName);
            VolumeRecord clone = volumes.createClone(cloneName, snapshot.sizeBytes(), source.record(), origin);
            SnapshotJob known = clones.get(cloneName);
            if (known != null) {
                return known;
            }
            if (clone.state() != VolumeState.CLONING) {
                SnapshotJob done = new SnapshotJob("clone-" + jobIds.incrementAndGet(),
                        "clone " + origin.label() + " as volume " + cloneName, snapshot.sizeBytes());
                done.succeeded();
                return done;
            }
            return startCopy(snapshot, clone);
        }
    }

    @Override
    public BlockVolume openSnapshot(String volume, String snapshotName) {
        synchronized (volumes) {
            ThinVolume handle = volumes.handle(volume);
            SnapshotRecord snapshot = active(handle.record(), volume, snapshotName);
            exports.merge(snapshot.id(), 1, Integer::sum);
            return new SnapshotVolume(snapshot, snapshot.sizeBytes(), handle.provisioning(), map,
                    volumes.context().reader(), volumes.context().executor(), () -> unexported(snapshot.id()));
        }
    }

    /** Stops the job thread after the running job; jobs not finished resume at the next start. */
    @Override
    public void close() {
        jobs.shutdownNow();
        try {
            jobs.awaitTermination(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private ThinVolume writable(String volume) {
        ThinVolume handle = volumes.handle(volume);
        if (handle.record().state() == VolumeState.CLONING) {
            throw new IllegalStateException("volume " + volume + " is still being cloned");
        }
        return handle;
    }

    private SnapshotRecord active(VolumeRecord volume, String volumeName, String name) {
        return catalog.find(volume.id(), name).filter(s -> s.state() == SnapshotState.ACTIVE)
                .orElseThrow(() -> new NoSuchElementException("no snapshot named " + volumeName + "@" + name));
    }

    private void refuseIfInUse(SnapshotRecord snapshot, String label) {
        if (exports.getOrDefault(snapshot.id(), 0) > 0) {
            throw new IllegalStateException("snapshot " + label + " is exported as a LUN; unmap it first");
        }
        boolean cloning = volumes.listVolumes().stream().anyMatch(v -> v.state() == VolumeState.CLONING
                && v.origin().volumeId() == snapshot.volumeId() && v.origin().snapshotId() == snapshot.id());
        if (cloning) {
            throw new IllegalStateException("snapshot " + label + " is being cloned; wait for the clone");
        }
    }

    private void unexported(long snapshotId) {
        synchronized (volumes) {
            exports.computeIfPresent(snapshotId, (id, count) -> count > 1 ? count - 1 : null);
        }
    }

    /** Runs {@code change} on the volume once all its I/O started before has finished and is committed. */
    private <T> T barrier(ThinVolume handle, Supplier<T> change) {
        // 0 waiting, 1 running, 2 abandoned: a change that did not start in time never starts.
        AtomicInteger phase = new AtomicInteger();
        CompletableFuture<T> done = handle.exclusively(() -> {
            if (!phase.compareAndSet(0, 1)) {
                return CompletableFuture.completedFuture(null);
            }
            volumes.context().committer().flush().join();
            return CompletableFuture.completedFuture(change.get());
        });
        try {
            return done.copy().orTimeout(BARRIER_SECONDS, TimeUnit.SECONDS).join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof TimeoutException && phase.compareAndSet(0, 2)) {
                throw new IllegalStateException("volume " + handle.record().name() + " stayed busy for " + BARRIER_SECONDS
                        + " s (a rollback or a long operation holds it); nothing was changed, retry", e);
            }
            if (e.getCause() instanceof TimeoutException) {
                return done.join(); // the change started just in time: it finishes, briefly
            }
            throw e.getCause() instanceof RuntimeException cause ? cause : e;
        }
    }

    /** Writes a snapshot definition (and its volume's, when given) in one synced batch. */
    private void persist(SnapshotRecord snapshot, VolumeRecord volume) {
        try (Batch batch = store.batch()) {
            byte[] key = new SnapshotKey(snapshot.volumeId(), snapshot.id()).encode();
            batch.putRaw(Schema.SNAPSHOT, key, ValueCodecs.encodeSnapshot(snapshot));
            if (volume != null) {
                batch.put(Schema.VOLUME, new IdKey(volume.id()), volume);
            }
            store.write(batch, true);
        }
    }

    private SnapshotJob startReclaim(SnapshotRecord deleting) {
        String label = volumes.volumeById(deleting.volumeId()).map(VolumeRecord::name).orElse("#" + deleting.volumeId())
                + "@" + deleting.name();
        SnapshotJob job = new SnapshotJob("snapshot-delete-" + jobIds.incrementAndGet(), "delete snapshot " + label,
                deleting.sizeBytes());
        reclaims.put(deleting.id(), job);
        SnapshotReclaimer reclaimer = new SnapshotReclaimer(store);
        run(job, () -> {
            volumes.context().committer().flush().join();
            long released = reclaimer.reclaim(deleting.volumeId(), () -> catalog.retentionOf(current(deleting.volumeId())), job);
            try (Batch batch = store.batch()) {
                batch.delete(Schema.SNAPSHOT, new SnapshotKey(deleting.volumeId(), deleting.id()));
                store.write(batch, true);
            }
            synchronized (volumes) {
                catalog.remove(deleting);
                reclaims.remove(deleting.id());
            }
            chunksListed.run();
            LOG.info("snapshot {} deleted; {} kept blocks released", label, released);
        });
        return job;
    }

    private SnapshotJob startCopy(SnapshotRecord snapshot, VolumeRecord clone) {
        SnapshotJob job = new SnapshotJob("clone-" + jobIds.incrementAndGet(),
                "clone " + clone.origin().label() + " as volume " + clone.name(), snapshot.sizeBytes());
        clones.put(clone.name(), job);
        CloneCopier copier = new CloneCopier(store, map, volumes);
        run(job, () -> {
            copier.copy(snapshot, clone, job);
            synchronized (volumes) {
                volumes.cloneCompleted(clone.name());
            }
            LOG.info("volume {} cloned from {}", clone.name(), clone.origin().label());
        });
        job.completion().whenComplete((ok, failure) -> {
            synchronized (volumes) {
                clones.remove(clone.name(), job);
            }
        });
        return job;
    }

    /** The current definition of a volume (for a reclaim's retention), by id. */
    private VolumeRecord current(int volumeId) {
        return volumes.volumeById(volumeId).orElseThrow(() -> new IllegalStateException("volume " + volumeId + " is gone"));
    }

    private void run(SnapshotJob job, Runnable work) {
        jobs.execute(() -> {
            try {
                work.run();
                job.succeeded();
            } catch (CancellationException e) {
                LOG.info("{}: {}", job.description(), e.getMessage());
                job.failed(e);
            } catch (RuntimeException e) {
                LOG.error("{} failed", job.description(), e);
                job.failed(e);
            }
        });
    }
}
