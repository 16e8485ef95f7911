package dev.quarry.iscsi.scsi;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * PERSISTENT RESERVE OUT (SPC-4 §6.16): decodes the CDB and parameter list, runs the service
 * action on the unit's {@link PersistentReservations}, then establishes the unit attentions it
 * owes, aborts the tasks PREEMPT AND ABORT preempted, and persists the state when APTPL asks for
 * it; the command completes once the state is durable.
 *
 * <pre>
 * basic parameter list (24 bytes): 0..7 RESERVATION KEY  8..15 SERVICE ACTION RESERVATION KEY
 *   20: SPEC_I_PT (3) ALL_TG_PT (2) APTPL (0)   24..27 TRANSPORTID PARAMETER DATA LENGTH (SPEC_I_PT)
 * REGISTER AND MOVE: 17: UNREG (1) APTPL (0)  18..19 RELATIVE TARGET PORT IDENTIFIER
 *   20..23 TRANSPORTID PARAMETER DATA LENGTH  24.. TransportID
 * </pre>
 *
 * <p>Stateless; thread-safe.
 */
final class PersistentReserveOutHandler implements CommandHandler {

    private static final int BASIC_LENGTH = 24;

    @Override
    public CompletionStage<ScsiResult> execute(CommandContext context) {
        byte[] cdb = context.cdb();
        Cdb.reserved(cdb, 1, 0xE0);
        Cdb.reservedBytes(cdb, 3, 5);
        int serviceAction = cdb[1] & 0x1F;
        long length = Cdb.u32(cdb, 5);
        context.expectDataOut(length);
        if (length < BASIC_LENGTH) {
            throw ScsiCommandException.parameterListLengthError();
        }
        byte[] list = context.parameterList(length);
        PersistentReservations.Change change = serviceAction == ServiceActions.REGISTER_AND_MOVE
                ? registerAndMove(context, list) : basic(context, serviceAction, list);
        if (change.conflict()) {
            return CompletableFuture.completedFuture(ScsiResult.reservationConflict());
        }
        LogicalUnit unit = context.unit();
        unit.notifyRegistrants(change.notices());
        CompletionStage<Void> aborted = serviceAction == ServiceActions.PREEMPT_AND_ABORT && !change.preempted().isEmpty()
                ? unit.abortPreempted(context.nexus(), change.preempted())
                : CompletableFuture.completedFuture(null);
        CompletionStage<Void> persisted = change.persist() ? unit.persist() : CompletableFuture.completedFuture(null);
        return aborted.thenCombine(persisted, (a, p) -> ScsiResult.good());
    }

    private static PersistentReservations.Change basic(CommandContext context, int serviceAction, byte[] list) {
        byte[] cdb = context.cdb();
        long key = Cdb.u64(list, 0);
        long saKey = Cdb.u64(list, 8);
        boolean specifyInitiatorPorts = (list[20] & 0x08) != 0;
        boolean allTargetPorts = (list[20] & 0x04) != 0;
        boolean aptpl = (list[20] & 0x01) != 0;
        if (specifyInitiatorPorts && serviceAction != ServiceActions.REGISTER) {
            throw ScsiCommandException.invalidFieldInParameterList(20, 3);
        }
        List<TransportId> specified = specifyInitiatorPorts ? transportIds(list) : List.of();
        if (!specifyInitiatorPorts && list.length != BASIC_LENGTH) {
            throw ScsiCommandException.parameterListLengthError();
        }
        PersistentReservations reservations = context.unit().reservations();
        ItNexus nexus = context.nexus();
        return switch (serviceAction) {
            case ServiceActions.REGISTER -> reservations.register(nexus, key, saKey, false, allTargetPorts, aptpl, specified);
            case ServiceActions.REGISTER_AND_IGNORE_EXISTING_KEY ->
                    reservations.register(nexus, key, saKey, true, allTargetPorts, aptpl, List.of());
            case ServiceActions.RESERVE -> reservations.reserve(nexus, key, requiredType(cdb));
            case ServiceActions.RELEASE -> reservations.release(nexus, key, requiredType(cdb));
            case ServiceActions.CLEAR -> reservations.clear(nexus, key);
            case ServiceActions.PREEMPT, ServiceActions.PREEMPT_AND_ABORT -> {
                checkScope(cdb);
                yield reservations.preempt(nexus, key, saKey, ReservationType.ofCode(cdb[2] & 0x0F));
            }
            default -> throw ScsiCommandException.invalidFieldInCdb(1, 4);
        };
    }

    private static PersistentReservations.Change registerAndMove(CommandContext context, byte[] list) {
        long key = Cdb.u64(list, 0);
        long saKey = Cdb.u64(list, 8);
        if (list[16] != 0) {
            throw ScsiCommandException.invalidFieldInParameterList(16, 7);
        }
        if ((list[17] & 0xFC) != 0) {
            throw ScsiCommandException.invalidFieldInParameterList(17, 7);
        }
        boolean unregister = (list[17] & 0x02) != 0;
        boolean aptpl = (list[17] & 0x01) != 0;
        int relativePort = Cdb.u16(list, 18);
        long idLength = Cdb.u32(list, 20);
        if (BASIC_LENGTH + idLength != list.length) {
            throw ScsiCommandException.parameterListLengthError();
        }
        TransportId destination = TransportId.decode(list, BASIC_LENGTH, list.length).id();
        ItNexus nexus = context.nexus();
        if (!context.binding().target().portalGroupTags().contains(relativePort)) {
            throw ScsiCommandException.invalidFieldInParameterList(18, 7);
        }
        String port = nexus.targetName() + ",t,0x" + String.format(Locale.ROOT, "%04x", relativePort);
        return context.unit().reservations().registerAndMove(nexus, key, saKey, destination, port, relativePort,
                unregister, aptpl);
    }

    /** The TransportIDs following a SPEC_I_PT parameter list's TRANSPORTID PARAMETER DATA LENGTH. */
    private static List<TransportId> transportIds(byte[] list) {
        if (list.length < BASIC_LENGTH + 4) {
            throw ScsiCommandException.parameterListLengthError();
        }
        long idLength = Cdb.u32(list, BASIC_LENGTH);
        if (BASIC_LENGTH + 4 + idLength != list.length) {
            throw ScsiCommandException.parameterListLengthError();
        }
        List<TransportId> ids = new ArrayList<>();
        int at = BASIC_LENGTH + 4;
        while (at < list.length) {
            TransportId.Decoded decoded = TransportId.decode(list, at, list.length);
            ids.add(decoded.id());
            at += decoded.length();
        }
        return ids;
    }

    private static ReservationType requiredType(byte[] cdb) {
        checkScope(cdb);
        ReservationType type = ReservationType.ofCode(cdb[2] & 0x0F);
        if (type == null) {
            throw ScsiCommandException.invalidFieldInCdb(2, 3);
        }
        return type;
    }

    /** Only LU_SCOPE (0h) exists in SPC-4. */
    private static void checkScope(byte[] cdb) {
        if ((cdb[2] & 0xF0) != 0) {
            throw ScsiCommandException.invalidFieldInCdb(2, 7);
        }
    }
}
