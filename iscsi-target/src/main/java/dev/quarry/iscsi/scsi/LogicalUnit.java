package dev.quarry.iscsi.scsi;

import dev.quarry.block.BlockVolume;
import dev.quarry.block.VolumeEvent;
import dev.quarry.block.WriteOptions;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A SCSI logical unit (SBC-3 direct-access block device) exporting one {@link BlockVolume}, with
 * a stable {@link LogicalUnitIdentity} and a {@link LogicalUnitStateStore} for the state that
 * survives restarts (persistent reservations with APTPL, saved mode pages). One unit may be
 * mapped into several targets and reached by many I_T nexuses (multipath): its task set, unit
 * attentions, reservations and mode parameters are shared by all of them and kept per nexus
 * where SPC-4 says so.
 *
 * <p>Thread-safe. Nothing blocks except the constructor, which reads the state store once. The
 * unit does not own the volume: {@link #close()} only stops listening to it.
 */
public final class LogicalUnit implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LogicalUnit.class);
    private static final int LOST_NEXUS_MEMORY = 1024;

    private final BlockVolume volume;
    private final LogicalUnitIdentity identity;
    private final LogicalUnitStateStore stateStore;
    private final DeviceLimits limits;
    private final ModeParameters mode;
    private final PersistentReservations reservations;
    private final LegacyReservation legacyReservation = new LegacyReservation();
    private final UnitAttentions attentions = new UnitAttentions();
    private final SanitizeState sanitizeState = new SanitizeState();
    private final CopyOperations copies = new CopyOperations();
    private final TaskSet tasks = new TaskSet();
    private final CommandDispatcher dispatcher = new CommandDispatcher();
    private final Map<ItNexus, NexusBinding> bindings = new ConcurrentHashMap<>();
    private final Map<ItNexus, Boolean> lostNexuses = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<ItNexus, Boolean> eldest) {
            return size() > LOST_NEXUS_MEMORY;
        }
    };
    private final Deque<ScsiTask> ready = new ArrayDeque<>();
    private final Object persistLock = new Object();
    private final AutoCloseable subscription;
    private final LogicalUnitMetrics metrics;
    private boolean draining;

    /**
     * A logical unit for {@code volume}. Reads the saved state from {@code stateStore} (blocking:
     * build units at start-up or on an admin thread, never on an event loop) and starts listening
     * to the volume's events.
     */
    public LogicalUnit(BlockVolume volume, LogicalUnitIdentity identity, LogicalUnitStateStore stateStore) {
        this(volume, identity, stateStore, LogicalUnitMetrics.NONE);
    }

    /** As {@link #LogicalUnit(BlockVolume, LogicalUnitIdentity, LogicalUnitStateStore)}, reporting each command to {@code metrics}. */
    public LogicalUnit(BlockVolume volume, LogicalUnitIdentity identity, LogicalUnitStateStore stateStore,
                       LogicalUnitMetrics metrics) {
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        this.volume = Objects.requireNonNull(volume, "volume");
        this.identity = Objects.requireNonNull(identity, "identity");
        this.stateStore = Objects.requireNonNull(stateStore, "stateStore");
        LogicalUnitState saved = stateStore.load();
        this.limits = DeviceLimits.of(volume);
        this.mode = new ModeParameters(new ModePages(volume.volatileWriteCache()), saved.savedModePages());
        this.reservations = new PersistentReservations(saved.reservations());
        this.subscription = volume.subscribe(this::onVolumeEvent);
    }

    public LogicalUnitIdentity identity() {
        return identity;
    }

    public BlockVolume volume() {
        return volume;
    }

    /** Tasks in the task set now, running or waiting (the unit's queue depth); takes the task set's monitor briefly. */
    public int queueDepth() {
        return tasks.size();
    }

    /** Stops listening to the volume. Idempotent; the volume stays open. */
    @Override
    public void close() {
        try {
            subscription.close();
        } catch (Exception e) {
            LOG.warn("cannot unsubscribe logical unit {} from its volume", identity.serialNumber(), e);
        }
    }

    // ------------------------------------------------------------------ components for handlers

    DeviceLimits limits() {
        return limits;
    }

    ModeParameters mode() {
        return mode;
    }

    PersistentReservations reservations() {
        return reservations;
    }

    LegacyReservation legacyReservation() {
        return legacyReservation;
    }

    UnitAttentions attentions() {
        return attentions;
    }

    SanitizeState sanitizeState() {
        return sanitizeState;
    }

    CopyOperations copies() {
        return copies;
    }

    /** Whether the volume is thin (logical block provisioning management enabled). */
    boolean thin() {
        return limits.maxUnmapBlocks() > 0;
    }

    /** Fails with DATA PROTECT when the volume is read-only or the control mode page's SWP is set. */
    void checkWritable() {
        if (volume.readOnly()) {
            throw new ScsiCommandException(SenseData.of(SenseKey.DATA_PROTECT, AscAscq.WRITE_PROTECTED));
        }
        if (mode.settings().softwareWriteProtect()) {
            throw new ScsiCommandException(SenseData.of(SenseKey.DATA_PROTECT, AscAscq.SOFTWARE_WRITE_PROTECTED));
        }
    }

    /**
     * The options of a write: FUA when the host asked, and always when a host disabled the
     * volatile write cache of a volume that has one (WCE 0, RELIABILITY §1.1 contract (a)). A
     * volume without a volatile cache makes every write durable anyway.
     */
    WriteOptions writeOptions(boolean forceUnitAccess, boolean atomic) {
        boolean cacheDisabled = volume.volatileWriteCache() && !mode.settings().writeCacheEnabled();
        return new WriteOptions(forceUnitAccess || cacheDisabled, atomic);
    }

    /** Whether a command of class {@code access} from {@code nexus} conflicts with a reservation. */
    boolean reservationConflict(ItNexus nexus, ReservationAccess access) {
        if (access != ReservationAccess.ANY_EVEN_RESERVED && access != ReservationAccess.RESERVE_RELEASE
                && legacyReservation.conflicts(nexus)) {
            return true;
        }
        return reservations.conflicts(nexus, access);
    }

    /** The nexuses currently connected, with how they reach this unit. */
    Collection<NexusBinding> bindings() {
        return bindings.values();
    }

    // ------------------------------------------------------------------ nexuses

    /** {@code binding}'s nexus now reaches this unit; its first command reports a reset unit attention. */
    void connect(NexusBinding binding) {
        ItNexus nexus = binding.nexus();
        boolean cameBack;
        synchronized (lostNexuses) {
            cameBack = lostNexuses.remove(nexus) != null;
        }
        bindings.put(nexus, binding);
        attentions.connect(nexus, cameBack ? AscAscq.I_T_NEXUS_LOSS_OCCURRED
                : AscAscq.POWER_ON_RESET_OR_BUS_DEVICE_RESET_OCCURRED);
    }

    /**
     * {@code nexus} no longer reaches this unit (it ended, or the unit was unmapped from its
     * target): its tasks are aborted without response, its RESERVE(6) reservation is released;
     * persistent reservations stay. The stage completes when its tasks can no longer touch the medium.
     */
    CompletionStage<Void> disconnect(ItNexus nexus, boolean abortTasks) {
        if (bindings.remove(nexus) == null) {
            return CompletableFuture.completedFuture(null);
        }
        synchronized (lostNexuses) {
            lostNexuses.put(nexus, Boolean.TRUE);
        }
        attentions.disconnect(nexus);
        legacyReservation.release(nexus);
        copies.forget(nexus);
        if (!abortTasks) {
            return CompletableFuture.completedFuture(null);
        }
        return settle(tasks.abort(t -> t.nexus().equals(nexus), t -> ScsiTask.Disposition.SILENT));
    }

    // ------------------------------------------------------------------ commands

    /** Queues {@code command} from {@code nexus}; takes ownership of its Data-Out. Never completes exceptionally. */
    CompletionStage<ScsiResponse> submit(ItNexus nexus, ScsiCommand command) {
        NexusBinding binding = bindings.get(nexus);
        if (binding == null) {
            Buffers.release(command.dataOut());
            return CompletableFuture.completedFuture(CommandOutcomes.checkCondition(
                    SenseData.of(SenseKey.ILLEGAL_REQUEST, AscAscq.LOGICAL_UNIT_NOT_SUPPORTED), false, 0));
        }
        ScsiTask task = new ScsiTask(binding, command);
        switch (tasks.admit(task)) {
            case START -> startAll(List.of(task));
            case WAIT -> LOG.trace("task 0x{} waits behind older tasks", Long.toHexString(task.tag()));
            case DUPLICATE -> {
                Buffers.release(command.dataOut());
                return CompletableFuture.completedFuture(CommandOutcomes.checkCondition(
                        SenseData.of(SenseKey.ABORTED_COMMAND, AscAscq.OVERLAPPED_COMMANDS_ATTEMPTED),
                        mode.settings().descriptorSense(), 0));
            }
        }
        return task.response();
    }

    /**
     * Starts tasks one after the other without recursion: a task that completes at once starts
     * the next from this loop, not from inside its own completion.
     */
    private void startAll(List<ScsiTask> startable) {
        synchronized (ready) {
            ready.addAll(startable);
            if (draining) {
                return;
            }
            draining = true;
        }
        while (true) {
            ScsiTask task;
            synchronized (ready) {
                task = ready.poll();
                if (task == null) {
                    draining = false;
                    return;
                }
            }
            run(task);
        }
    }

    private void run(ScsiTask task) {
        CompletionStage<ScsiResponse> outcome;
        try {
            outcome = dispatcher.execute(this, task);
        } catch (RuntimeException | Error e) {
            outcome = CompletableFuture.completedFuture(
                    CommandOutcomes.failure(e, task, mode.settings().descriptorSense(), 0));
        }
        outcome.whenComplete((response, failure) -> finish(task, failure == null ? response
                : CommandOutcomes.failure(failure, task, mode.settings().descriptorSense(), 0)));
    }

    private void finish(ScsiTask task, ScsiResponse response) {
        List<ScsiTask> next = tasks.finish(task);
        ScsiTask.Disposition disposition = tasks.dispositionOf(task);
        record(task, response, disposition == null);
        Buffers.release(task.command().dataOut());
        if (disposition != null) {
            Buffers.release(response.dataIn());
        }
        task.response().complete(disposition != null ? CommandOutcomes.aborted(disposition) : response);
        task.finished().complete(null);
        startAll(next);
    }

    private void record(ScsiTask task, ScsiResponse response, boolean notAborted) {
        CommandKind kind = CommandKind.of(task.command().operationCode());
        boolean good = notAborted && response.status() == ScsiStatus.GOOD;
        long bytes = 0;
        if (good) {
            bytes = switch (kind) {
                case READ -> response.dataIn() == null ? 0 : response.dataIn().readableBytes();
                case WRITE -> response.dataOutLength();
                case OTHER -> 0;
            };
        }
        metrics.commandCompleted(task.nexus(), kind, bytes, System.nanoTime() - task.arrivedNanos(), good);
    }

    // ------------------------------------------------------------------ task management

    /** ABORT TASK: the task {@code tag} of {@code nexus}. */
    CompletionStage<TmfResult> abortTask(ItNexus nexus, long tag) {
        TaskSet.Aborted aborted = tasks.abort(t -> t.nexus().equals(nexus) && t.tag() == tag,
                t -> ScsiTask.Disposition.SILENT);
        if (aborted.affected().isEmpty()) {
            return CompletableFuture.completedFuture(TmfResult.TASK_DOES_NOT_EXIST);
        }
        return settle(aborted).thenApply(v -> TmfResult.FUNCTION_COMPLETE);
    }

    /** ABORT TASK SET: every task of {@code nexus}. */
    CompletionStage<TmfResult> abortTaskSet(ItNexus nexus) {
        return settle(tasks.abort(t -> t.nexus().equals(nexus), t -> ScsiTask.Disposition.SILENT))
                .thenApply(v -> TmfResult.FUNCTION_COMPLETE);
    }

    /** CLEAR TASK SET: every task, of every nexus; other nexuses hear of it per TAS (SAM-5 §7.4). */
    CompletionStage<TmfResult> clearTaskSet(ItNexus issuer) {
        return abortOthers(issuer, t -> true, !mode.settings().taskAbortedStatus())
                .thenApply(v -> TmfResult.FUNCTION_COMPLETE);
    }

    /**
     * LOGICAL UNIT RESET (or this unit's part of a target reset): aborts every task, releases the
     * RESERVE(6) reservation, reverts mode parameters to their saved values and establishes
     * {@code attention} for every nexus (SAM-5 §6.3.3).
     */
    CompletionStage<TmfResult> reset(ItNexus issuer, AscAscq attention) {
        CompletionStage<Void> settled = abortOthers(issuer, t -> true, false);
        legacyReservation.releaseAll();
        mode.revertToSaved();
        attentions.establishAll(attention, null);
        return settled.thenApply(v -> TmfResult.FUNCTION_COMPLETE);
    }

    /** PREEMPT AND ABORT: aborts the tasks of the nexuses {@code preempted} registrations covered. */
    CompletionStage<Void> abortPreempted(ItNexus issuer, List<Registration> preempted) {
        Predicate<ScsiTask> covered = t -> !t.nexus().equals(issuer)
                && preempted.stream().anyMatch(r -> r.matches(t.nexus()));
        return abortOthers(issuer, covered, !mode.settings().taskAbortedStatus());
    }

    private CompletionStage<Void> abortOthers(ItNexus issuer, Predicate<ScsiTask> which, boolean clearedAttention) {
        boolean tas = mode.settings().taskAbortedStatus();
        TaskSet.Aborted aborted = tasks.abort(which, t -> t.nexus().equals(issuer) || !tas
                ? ScsiTask.Disposition.SILENT : ScsiTask.Disposition.TASK_ABORTED);
        for (ScsiTask task : aborted.affected()) {
            if (clearedAttention && !task.nexus().equals(issuer)) {
                attentions.establish(task.nexus(), AscAscq.COMMANDS_CLEARED_BY_ANOTHER_INITIATOR);
            }
        }
        for (NexusBinding binding : bindings.values()) {
            if (!binding.nexus().equals(issuer)) {
                binding.events().tasksAborted(binding.lun());
            }
        }
        return settle(aborted);
    }

    /** Answers aborted tasks that never started and waits for the running ones to finish. */
    private CompletionStage<Void> settle(TaskSet.Aborted aborted) {
        for (ScsiTask task : aborted.removedWaiting()) {
            Buffers.release(task.command().dataOut());
            task.response().complete(CommandOutcomes.aborted(task.disposition()));
            task.finished().complete(null);
        }
        for (ScsiTask task : aborted.affected()) {
            task.abortRequested().complete(null);
        }
        startAll(aborted.nowStartable());
        return CompletableFuture.allOf(aborted.affected().stream().map(ScsiTask::finished)
                .toArray(CompletableFuture[]::new));
    }

    // ------------------------------------------------------------------ unit attentions and events

    /** Establishes each notice's unit attention for every connected nexus its registration covers. */
    void notifyRegistrants(List<PersistentReservations.Notice> notices) {
        for (PersistentReservations.Notice notice : notices) {
            for (NexusBinding binding : bindings.values()) {
                if (notice.registrant().matches(binding.nexus())) {
                    attentions.establish(binding.nexus(), notice.code());
                }
            }
        }
    }

    /** The LUN inventory of {@code nexus}' target changed (SPC-4 §6.33). */
    void reportedLunsChanged(ItNexus nexus) {
        attentions.establish(nexus, AscAscq.REPORTED_LUNS_DATA_HAS_CHANGED);
    }

    private void onVolumeEvent(VolumeEvent event) {
        AscAscq code = switch (event) {
            case CAPACITY_CHANGED -> AscAscq.CAPACITY_DATA_HAS_CHANGED;
            case SOFT_THRESHOLD_REACHED -> AscAscq.THIN_PROVISIONING_SOFT_THRESHOLD_REACHED;
        };
        byte[] sense = SenseData.of(SenseKey.UNIT_ATTENTION, code).encode(mode.settings().descriptorSense());
        for (NexusBinding binding : bindings.values()) {
            attentions.establish(binding.nexus(), code);
            binding.events().asyncEvent(binding.lun(), sense.clone());
        }
    }

    // ------------------------------------------------------------------ persistence

    /**
     * Saves the persistent reservations (when APTPL is on) and the saved mode pages. Snapshots
     * are taken and handed to the store in one critical section, so the store applies them in
     * the order the state changed.
     */
    CompletionStage<Void> persist() {
        synchronized (persistLock) {
            PersistentReservationState pr = reservations.aptpl() ? reservations.snapshot() : null;
            return stateStore.save(new LogicalUnitState(pr, mode.savedPages()));
        }
    }


    @Override
    public String toString() {
        return "LogicalUnit[" + identity.serialNumber() + "]";
    }
}
