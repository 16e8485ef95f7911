package dev.quarry.iscsi.scsi;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.Predicate;

/**
 * The persistent reservation state machine of one logical unit (SPC-4 §5.13): registrations,
 * the reservation and PRGENERATION, the PERSISTENT RESERVE OUT service actions that change them,
 * and the conflict rules every other command is checked against. Each service action returns a
 * {@link Change}: the unit attentions to establish, the registrations that were preempted (for
 * PREEMPT AND ABORT) and whether the state must be persisted (APTPL).
 *
 * <p>Thread-safe: every method runs under this object's monitor and does no I/O.
 */
final class PersistentReservations {

    /** A unit attention for every I_T nexus a registration covers. */
    record Notice(Registration registrant, AscAscq code) {
    }

    /** What a service action did. {@link #CONFLICT} means it ended in RESERVATION CONFLICT and changed nothing. */
    record Change(boolean conflict, List<Notice> notices, List<Registration> preempted, boolean persist) {

        static final Change CONFLICT = new Change(true, List.of(), List.of(), false);
        static final Change NONE = new Change(false, List.of(), List.of(), false);
    }

    private final List<Registration> registrations = new ArrayList<>();
    private ReservationType type;
    private Registration holder;
    private int generation;
    private boolean aptpl;

    /** Starts empty, or from {@code restored} (a state persisted with APTPL). */
    PersistentReservations(PersistentReservationState restored) {
        if (restored != null) {
            registrations.addAll(restored.registrations());
            generation = restored.generation();
            type = restored.reservationType();
            holder = restored.holderIndex() >= 0 ? registrations.get(restored.holderIndex()) : null;
            aptpl = true;
        }
    }

    // ---------------------------------------------------------------- conflict checks

    /** Whether {@code nexus} conflicts with the persistent reservation for a command of class {@code access}. */
    synchronized boolean conflicts(ItNexus nexus, ReservationAccess access) {
        if (type == null || access == ReservationAccess.ANY || access == ReservationAccess.ANY_EVEN_RESERVED) {
            return false;
        }
        if (isHolder(nexus)) {
            return false;
        }
        if (type.registrantsAllowed() && find(nexus) != null) {
            return false;
        }
        return !type.writeExclusive() || access == ReservationAccess.WRITE;
    }

    /** How a RESERVE or RELEASE(6/10) stands against the persistent reservation state. */
    enum LegacyStanding {
        /** No registrations: the SPC-2 reservation rules apply. */
        UNAFFECTED,
        /** GOOD status without effect (CRH 1 exceptions). */
        NO_EFFECT,
        /** RESERVATION CONFLICT. */
        CONFLICT
    }

    /**
     * How RESERVE and RELEASE(6/10) from {@code nexus} stand (SPC-4 §5.13.3, CRH 1): GOOD without
     * effect for the reservation holder, and for a registrant under a registrants-only or
     * all-registrants reservation; otherwise any registration makes them conflict (SPC-2 §5.5.1).
     */
    synchronized LegacyStanding legacyStanding(ItNexus nexus) {
        if (type != null && (isHolder(nexus) || type.registrantsAllowed() && find(nexus) != null)) {
            return LegacyStanding.NO_EFFECT;
        }
        return registrations.isEmpty() ? LegacyStanding.UNAFFECTED : LegacyStanding.CONFLICT;
    }

    // ---------------------------------------------------------------- PERSISTENT RESERVE OUT

    /**
     * REGISTER ({@code ignoreKey} false) or REGISTER AND IGNORE EXISTING KEY (SPC-4 §5.13.7):
     * registers {@code nexus} (and the {@code specified} initiator ports) with {@code saKey},
     * changes its key, or unregisters it when {@code saKey} is 0.
     */
    synchronized Change register(ItNexus nexus, long key, long saKey, boolean ignoreKey, boolean allTargetPorts,
                                 boolean aptplRequested, List<TransportId> specified) {
        Registration existing = find(nexus);
        if (existing == null) {
            if (!ignoreKey && key != 0) {
                return Change.CONFLICT;
            }
            if (saKey == 0) {
                return Change.NONE;
            }
            List<Registration> added = new ArrayList<>();
            added.add(Registration.of(nexus, allTargetPorts, saKey));
            for (TransportId id : specified) {
                Registration extra = new Registration(id.initiatorName(), id.isid(),
                        allTargetPorts ? null : nexus.targetPortName(), allTargetPorts ? 0 : nexus.relativeTargetPortId(), saKey);
                if (added.stream().anyMatch(extra::sameNexusAs) || registrations.stream().anyMatch(extra::sameNexusAs)) {
                    throw ScsiCommandException.invalidFieldInParameterList(24, 7);
                }
                added.add(extra);
            }
            registrations.addAll(added);
            return changed(List.of(), List.of(), aptplRequested);
        }
        if (!specified.isEmpty()) {
            throw ScsiCommandException.invalidFieldInParameterList(20, 3);
        }
        if (!ignoreKey && key != existing.key()) {
            return Change.CONFLICT;
        }
        if (saKey != 0) {
            replace(existing, existing.withKey(saKey));
            return changed(List.of(), List.of(), aptplRequested);
        }
        return changed(unregister(existing), List.of(), aptplRequested);
    }

    /** RESERVE (SPC-4 §5.13.9). */
    synchronized Change reserve(ItNexus nexus, long key, ReservationType requested) {
        Registration registration = find(nexus);
        if (registration == null || registration.key() != key) {
            return Change.CONFLICT;
        }
        if (type == null) {
            type = requested;
            holder = registration;
            return new Change(false, List.of(), List.of(), aptpl);
        }
        return isHolder(nexus) && type == requested ? Change.NONE : Change.CONFLICT;
    }

    /** RELEASE (SPC-4 §5.13.10). */
    synchronized Change release(ItNexus nexus, long key, ReservationType requested) {
        Registration registration = find(nexus);
        if (registration == null || registration.key() != key) {
            return Change.CONFLICT;
        }
        if (type == null || !isHolder(nexus)) {
            return Change.NONE;
        }
        if (type != requested) {
            throw ScsiCommandException.illegalRequest(AscAscq.INVALID_RELEASE_OF_PERSISTENT_RESERVATION);
        }
        List<Notice> notices = type.registrantsAllowed()
                ? noticesFor(r -> !r.matches(nexus), AscAscq.RESERVATIONS_RELEASED) : List.of();
        type = null;
        holder = null;
        return new Change(false, notices, List.of(), aptpl);
    }

    /** CLEAR (SPC-4 §5.13.11.1): every registration and the reservation go. */
    synchronized Change clear(ItNexus nexus, long key) {
        Registration registration = find(nexus);
        if (registration == null || registration.key() != key) {
            return Change.CONFLICT;
        }
        List<Notice> notices = noticesFor(r -> !r.matches(nexus), AscAscq.RESERVATIONS_PREEMPTED);
        registrations.clear();
        type = null;
        holder = null;
        return changed(notices, List.of(), aptpl);
    }

    /** PREEMPT and PREEMPT AND ABORT (SPC-4 §5.13.11.4); {@code requested} may be null when no reservation is made. */
    synchronized Change preempt(ItNexus nexus, long key, long saKey, ReservationType requested) {
        Registration registration = find(nexus);
        if (registration == null || registration.key() != key) {
            return Change.CONFLICT;
        }
        if (type == null) {
            return preemptRegistrations(nexus, saKey);
        }
        if (type.allRegistrants() && saKey == 0) {
            List<Registration> removed = remove(r -> !r.sameNexusAs(registration));
            reserveFor(registration, requiredType(requested));
            return changed(notices(removed, AscAscq.REGISTRATIONS_PREEMPTED), removed, aptpl);
        }
        if (!type.allRegistrants() && holderKey() == saKey) {
            ReservationType next = requiredType(requested);
            boolean typeChanged = next != type;
            List<Registration> removed = remove(r -> r.key() == saKey && !r.sameNexusAs(registration));
            reserveFor(registration, next);
            List<Notice> notices = new ArrayList<>(notices(removed, AscAscq.REGISTRATIONS_PREEMPTED));
            if (typeChanged) {
                notices.addAll(noticesFor(r -> !r.sameNexusAs(registration), AscAscq.RESERVATIONS_RELEASED));
            }
            return changed(notices, removed, aptpl);
        }
        return preemptRegistrations(nexus, saKey);
    }

    /**
     * REGISTER AND MOVE (SPC-4 §5.13.8): registers {@code destination} through the target port
     * {@code destinationPort}/{@code destinationPortId} with {@code saKey} and moves the
     * reservation to it; with {@code unregister} the issuer's registration goes.
     */
    synchronized Change registerAndMove(ItNexus nexus, long key, long saKey, TransportId destination,
                                        String destinationPort, int destinationPortId, boolean unregister,
                                        boolean aptplRequested) {
        Registration registration = find(nexus);
        if (registration == null || registration.key() != key) {
            return Change.CONFLICT;
        }
        if (type == null || type.allRegistrants() || !isHolder(nexus)) {
            return Change.CONFLICT;
        }
        if (saKey == 0) {
            throw ScsiCommandException.invalidFieldInParameterList(8, 7);
        }
        if (destination.isid() == Registration.ANY_ISID) {
            throw ScsiCommandException.invalidFieldInParameterList(24, 7);
        }
        Registration target = new Registration(destination.initiatorName(), destination.isid(), destinationPort,
                destinationPortId, saKey);
        if (target.sameNexusAs(registration)) {
            throw ScsiCommandException.invalidFieldInParameterList(24, 7);
        }
        Registration current = registrations.stream().filter(target::sameNexusAs).findFirst().orElse(null);
        if (current == null) {
            registrations.add(target);
        } else {
            replace(current, target);
        }
        holder = target;
        if (unregister) {
            registrations.removeIf(r -> r.sameNexusAs(registration));
        }
        return changed(List.of(), List.of(), aptplRequested);
    }

    // ---------------------------------------------------------------- PERSISTENT RESERVE IN views

    synchronized boolean aptpl() {
        return aptpl;
    }

    /** The state to persist. */
    synchronized PersistentReservationState snapshot() {
        int holderIndex = -1;
        if (type != null && !type.allRegistrants() && holder != null) {
            for (int i = 0; i < registrations.size(); i++) {
                if (registrations.get(i).sameNexusAs(holder)) {
                    holderIndex = i;
                }
            }
        }
        return new PersistentReservationState(generation, registrations, type, holderIndex);
    }

    // ---------------------------------------------------------------- internals

    private Change preemptRegistrations(ItNexus nexus, long saKey) {
        if (saKey == 0) {
            throw ScsiCommandException.invalidFieldInParameterList(8, 7);
        }
        List<Registration> removed = remove(r -> r.key() == saKey && !r.matches(nexus));
        if (removed.isEmpty()) {
            return Change.CONFLICT;
        }
        if (type != null && (type.allRegistrants() ? registrations.isEmpty() : !holderStillRegistered())) {
            type = null;
            holder = null;
        }
        return changed(notices(removed, AscAscq.REGISTRATIONS_PREEMPTED), removed, aptpl);
    }

    /** Removes {@code existing}; releases the reservation it held. Returns the attentions owed. */
    private List<Notice> unregister(Registration existing) {
        registrations.removeIf(r -> r.sameNexusAs(existing));
        if (type == null) {
            return List.of();
        }
        if (type.allRegistrants()) {
            if (registrations.isEmpty()) {
                type = null;
            }
            return List.of();
        }
        if (holder == null || !holder.sameNexusAs(existing)) {
            return List.of();
        }
        boolean notify = type.registrantsAllowed();
        type = null;
        holder = null;
        return notify ? noticesFor(r -> true, AscAscq.RESERVATIONS_RELEASED) : List.of();
    }

    private Change changed(List<Notice> notices, List<Registration> preempted, boolean aptplAfter) {
        generation++;
        boolean persist = aptpl || aptplAfter;
        aptpl = aptplAfter;
        return new Change(false, notices, preempted, persist);
    }

    private void reserveFor(Registration registration, ReservationType next) {
        type = next;
        holder = registration;
    }

    private static ReservationType requiredType(ReservationType requested) {
        if (requested == null) {
            throw ScsiCommandException.invalidFieldInCdb(2, 3);
        }
        return requested;
    }

    private boolean isHolder(ItNexus nexus) {
        if (type.allRegistrants()) {
            return find(nexus) != null;
        }
        return holder != null && holder.matches(nexus);
    }

    private boolean holderStillRegistered() {
        return holder != null && registrations.stream().anyMatch(holder::sameNexusAs);
    }

    private long holderKey() {
        if (holder == null) {
            return 0;
        }
        return registrations.stream().filter(holder::sameNexusAs).mapToLong(Registration::key).findFirst().orElse(0);
    }

    private Registration find(ItNexus nexus) {
        for (Registration registration : registrations) {
            if (registration.matches(nexus)) {
                return registration;
            }
        }
        return null;
    }

    private void replace(Registration old, Registration next) {
        registrations.replaceAll(r -> r.sameNexusAs(old) ? next : r);
        if (holder != null && holder.sameNexusAs(old)) {
            holder = next;
        }
    }

    private List<Registration> remove(Predicate<Registration> which) {
        List<Registration> removed = new ArrayList<>();
        Iterator<Registration> it = registrations.iterator();
        while (it.hasNext()) {
            Registration registration = it.next();
            if (which.test(registration)) {
                it.remove();
                removed.add(registration);
            }
        }
        return removed;
    }

    private List<Notice> noticesFor(Predicate<Registration> which, AscAscq code) {
        return notices(registrations.stream().filter(which).toList(), code);
    }

    private static List<Notice> notices(List<Registration> registrants, AscAscq code) {
        return registrants.stream().map(r -> new Notice(r, code)).toList();
    }
}
