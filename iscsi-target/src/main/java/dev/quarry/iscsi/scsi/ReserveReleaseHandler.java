package dev.quarry.iscsi.scsi;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * RESERVE(6), RESERVE(10), RELEASE(6), RELEASE(10) (SPC-2 §7.21-7.24): the whole-unit reservation
 * of one I_T nexus. Third-party and extent reservations are not supported. Once any persistent
 * reservation key is registered they conflict (SPC-2 §5.5.1), except that the persistent
 * reservation holder, and a registrant under a registrants-only or all-registrants type, get GOOD
 * without effect (SPC-4 §5.13.3, CRH 1). RELEASE from a nexus that holds nothing is GOOD and does
 * nothing.
 *
 * <p>Stateless; thread-safe.
 */
final class ReserveReleaseHandler implements CommandHandler {

    @Override
    public CompletionStage<ScsiResult> execute(CommandContext context) {
        byte[] cdb = context.cdb();
        boolean ten = cdb[0] == 0x56 || cdb[0] == 0x57;
        boolean reserve = cdb[0] == 0x16 || cdb[0] == 0x56;
        if (ten) {
            Cdb.reserved(cdb, 1, 0x13);
            Cdb.reservedBytes(cdb, 2, 9);
        } else {
            Cdb.reserved(cdb, 1, 0x1F);
            Cdb.reservedBytes(cdb, 2, 5);
        }
        LogicalUnit unit = context.unit();
        ItNexus nexus = context.nexus();
        PersistentReservations.LegacyStanding standing = unit.reservations().legacyStanding(nexus);
        if (standing != PersistentReservations.LegacyStanding.UNAFFECTED) {
            return done(standing == PersistentReservations.LegacyStanding.NO_EFFECT
                    ? ScsiResult.good() : ScsiResult.reservationConflict());
        }
        if (!reserve) {
            unit.legacyReservation().release(nexus);
            return done(ScsiResult.good());
        }
        return done(unit.legacyReservation().reserve(nexus) ? ScsiResult.good() : ScsiResult.reservationConflict());
    }

    private static CompletionStage<ScsiResult> done(ScsiResult result) {
        return CompletableFuture.completedFuture(result);
    }
}
