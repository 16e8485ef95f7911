package dev.quarry.iscsi.scsi;

import java.util.List;
import java.util.Objects;

/**
 * The persistent reservation state of a logical unit as it is kept across restarts when the
 * initiators asked for it (APTPL, SPC-4 §5.13.5): registrations in order, the reservation type
 * and holder, and PRGENERATION.
 *
 * <p>Immutable and thread-safe.
 *
 * @param generation the PRGENERATION counter
 * @param registrations the registrations, in the order they were made
 * @param reservationType the reservation's type, or {@code null} when the unit is not reserved
 * @param holderIndex the index in {@code registrations} of the reservation holder, or -1 (no
 *     reservation, or an all-registrants type where every registrant holds it)
 */
public record PersistentReservationState(int generation, List<Registration> registrations,
                                         ReservationType reservationType, int holderIndex) {

    public PersistentReservationState {
        registrations = List.copyOf(Objects.requireNonNull(registrations, "registrations"));
        if (holderIndex < -1 || holderIndex >= registrations.size()) {
            throw new IllegalArgumentException("holderIndex out of range: " + holderIndex);
        }
        if (reservationType == null && holderIndex != -1) {
            throw new IllegalArgumentException("a holder without a reservation");
        }
    }
}
