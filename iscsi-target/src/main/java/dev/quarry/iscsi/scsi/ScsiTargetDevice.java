package dev.quarry.iscsi.scsi;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ConcurrentSkipListSet;

/**
 * The SCSI target device behind one iSCSI target name (SAM-5 §4.6.2): a LUN map that may change
 * at run time, the portal groups the target is reachable through, and the I_T nexuses attached
 * to it. Mapping or unmapping a LUN establishes REPORTED LUNS DATA HAS CHANGED for every attached
 * nexus.
 *
 * <p>Thread-safe.
 */
public final class ScsiTargetDevice implements ScsiTarget, TargetView {

    private final String targetName;
    private final SortedSet<Integer> portalGroupTags = new ConcurrentSkipListSet<>();
    private final ConcurrentSkipListMap<Integer, LogicalUnit> lunMap = new ConcurrentSkipListMap<>();
    private final Map<ItNexus, TargetNexus> attached = new ConcurrentHashMap<>();

    /** A target named {@code targetName} (its iSCSI name), reachable through {@code portalGroupTags}. */
    public ScsiTargetDevice(String targetName, Collection<Integer> portalGroupTags) {
        this.targetName = Objects.requireNonNull(targetName, "targetName");
        for (int tag : portalGroupTags) {
            if (tag < 1 || tag > 0xFFFF) {
                throw new IllegalArgumentException("portal group tag must be 1..65535: " + tag);
            }
            this.portalGroupTags.add(tag);
        }
    }

    public String targetName() {
        return targetName;
    }

    /**
     * Maps {@code unit} at {@code lun} (0..{@link Lun#MAX}), replacing nothing: the LUN must be
     * free and the unit not yet mapped in this target.
     */
    public void map(int lun, LogicalUnit unit) {
        Objects.requireNonNull(unit, "unit");
        Lun.encode(lun);
        synchronized (lunMap) {
            if (lunMap.containsKey(lun)) {
                throw new IllegalArgumentException("LUN " + lun + " is already mapped in " + targetName);
            }
            if (lunMap.containsValue(unit)) {
                throw new IllegalArgumentException(unit + " is already mapped in " + targetName);
            }
            lunMap.put(lun, unit);
        }
        for (TargetNexus port : attached.values()) {
            unit.connect(new NexusBinding(port.nexus(), port.events(), Lun.encode(lun), this));
            if (port.closed()) {
                unit.disconnect(port.nexus(), true);
            }
        }
        lunsChanged();
    }

    /**
     * Unmaps {@code lun}; returns the unit that was mapped there, or {@code null}. Commands in
     * flight on it complete; new ones get LOGICAL UNIT NOT SUPPORTED.
     */
    public LogicalUnit unmap(int lun) {
        LogicalUnit unit;
        synchronized (lunMap) {
            unit = lunMap.remove(lun);
        }
        if (unit != null) {
            for (ItNexus nexus : attached.keySet()) {
                unit.disconnect(nexus, false);
            }
            lunsChanged();
        }
        return unit;
    }

    /** The current LUN map. */
    public SortedMap<Integer, LogicalUnit> luns() {
        return Collections.unmodifiableSortedMap(new TreeMap<>(lunMap));
    }

    /** Adds a portal group the target can be reached through (REPORT TARGET PORT GROUPS). */
    public void addPortalGroup(int tag) {
        if (tag < 1 || tag > 0xFFFF) {
            throw new IllegalArgumentException("portal group tag must be 1..65535: " + tag);
        }
        portalGroupTags.add(tag);
    }

    @Override
    public NexusPort attach(ItNexus nexus, NexusEvents events) {
        Objects.requireNonNull(nexus, "nexus");
        Objects.requireNonNull(events, "events");
        if (!targetName.equalsIgnoreCase(nexus.targetName())) {
            throw new IllegalArgumentException("nexus " + nexus + " is not for target " + targetName);
        }
        TargetNexus previous = attached.get(nexus);
        if (previous != null) {
            previous.close();
        }
        portalGroupTags.add(nexus.targetPortalGroupTag());
        TargetNexus port = new TargetNexus(this, nexus, events);
        attached.put(nexus, port);
        lunMap.forEach((lun, unit) -> unit.connect(new NexusBinding(nexus, events, Lun.encode(lun), this)));
        return port;
    }

    // ------------------------------------------------------------------ TargetView

    @Override
    public LogicalUnit logicalUnitByNaa(byte[] naa) {
        for (LogicalUnit unit : lunMap.values()) {
            if (unit.identity().hasNaa(naa)) {
                return unit;
            }
        }
        return null;
    }

    @Override
    public SortedSet<Integer> portalGroupTags() {
        return Collections.unmodifiableSortedSet(new TreeSet<>(portalGroupTags));
    }

    @Override
    public List<Integer> mappedLuns() {
        return new ArrayList<>(lunMap.keySet());
    }

    @Override
    public void reportedLunsDelivered(ItNexus nexus) {
        for (LogicalUnit unit : lunMap.values()) {
            unit.attentions().clear(nexus, AscAscq.REPORTED_LUNS_DATA_HAS_CHANGED);
        }
    }

    // ------------------------------------------------------------------ for TargetNexus

    LogicalUnit unitAt(long wireLun) {
        int lun = Lun.decode(wireLun);
        return lun < 0 ? null : lunMap.get(lun);
    }

    /** {@code port} ended: every unit forgets its nexus. */
    CompletionStage<Void> detach(TargetNexus port) {
        attached.remove(port.nexus(), port);
        List<CompletableFuture<Void>> settled = new ArrayList<>();
        for (LogicalUnit unit : lunMap.values()) {
            settled.add(unit.disconnect(port.nexus(), true).toCompletableFuture());
        }
        return CompletableFuture.allOf(settled.toArray(CompletableFuture[]::new));
    }

    /**
     * TARGET WARM RESET or TARGET COLD RESET from {@code issuer}: every unit resets. A cold reset
     * then ends every other nexus through {@link NexusEvents#coldReset()}; the issuer's transport
     * closes its own connections once it has sent the TMF response (RFC 7143 §11.5.1), which it
     * could not do if it were told to end first.
     */
    CompletionStage<TmfResult> reset(ItNexus issuer, boolean cold) {
        List<CompletableFuture<TmfResult>> resets = new ArrayList<>();
        for (LogicalUnit unit : lunMap.values()) {
            resets.add(unit.reset(issuer, AscAscq.POWER_ON_RESET_OR_BUS_DEVICE_RESET_OCCURRED).toCompletableFuture());
        }
        return CompletableFuture.allOf(resets.toArray(CompletableFuture[]::new)).thenApply(v -> {
            if (cold) {
                for (TargetNexus port : attached.values()) {
                    if (!port.nexus().equals(issuer)) {
                        port.events().coldReset();
                    }
                }
            }
            return TmfResult.FUNCTION_COMPLETE;
        });
    }

    private void lunsChanged() {
        for (ItNexus nexus : attached.keySet()) {
            for (LogicalUnit unit : lunMap.values()) {
                unit.reportedLunsChanged(nexus);
            }
        }
    }

    @Override
    public String toString() {
        return "ScsiTargetDevice[" + targetName + ", luns=" + lunMap.keySet() + "]";
    }
}
