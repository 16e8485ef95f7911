package dev.quarry.iscsi.scsi;

import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * PERSISTENT RESERVE IN (SPC-4 §6.15): READ KEYS, READ RESERVATION, REPORT CAPABILITIES and READ
 * FULL STATUS, each built from one consistent snapshot of the reservation state. Lengths report
 * all available data whatever the allocation length cuts off.
 *
 * <p>Stateless; thread-safe.
 */
final class PersistentReserveInHandler implements CommandHandler {

    @Override
    public CompletionStage<ScsiResult> execute(CommandContext context) {
        byte[] cdb = context.cdb();
        Cdb.reserved(cdb, 1, 0xE0);
        Cdb.reservedBytes(cdb, 2, 7);
        int allocation = Cdb.u16(cdb, 7);
        PersistentReservations reservations = context.unit().reservations();
        PersistentReservationState state = reservations.snapshot();
        byte[] data = switch (cdb[1] & 0x1F) {
            case ServiceActions.READ_KEYS -> readKeys(state);
            case ServiceActions.READ_RESERVATION -> readReservation(state);
            case ServiceActions.REPORT_CAPABILITIES -> reportCapabilities(reservations.aptpl());
            case ServiceActions.READ_FULL_STATUS -> readFullStatus(state);
            default -> throw ScsiCommandException.invalidFieldInCdb(1, 4);
        };
        return CompletableFuture.completedFuture(CommandContext.goodData(data, allocation));
    }

    private static byte[] readKeys(PersistentReservationState state) {
        List<Registration> registrations = state.registrations();
        byte[] data = new byte[8 + 8 * registrations.size()];
        Bytes.putInt(data, 0, state.generation());
        Bytes.putInt(data, 4, 8 * registrations.size());
        for (int i = 0; i < registrations.size(); i++) {
            Bytes.putLong(data, 8 + 8 * i, registrations.get(i).key());
        }
        return data;
    }

    private static byte[] readReservation(PersistentReservationState state) {
        ReservationType type = state.reservationType();
        byte[] data = new byte[type == null ? 8 : 24];
        Bytes.putInt(data, 0, state.generation());
        if (type != null) {
            Bytes.putInt(data, 4, 16);
            long key = state.holderIndex() >= 0 ? state.registrations().get(state.holderIndex()).key() : 0;
            Bytes.putLong(data, 8, key);
            data[21] = (byte) type.code();
        }
        return data;
    }

    /** CRH, SIP_C, ATP_C, PTPL_C; TMV with ALLOW COMMANDS 010b; every type of SPC-4 table 212. */
    private static byte[] reportCapabilities(boolean aptpl) {
        byte[] data = new byte[8];
        Bytes.putShort(data, 0, 8);
        data[2] = 0x1D;
        data[3] = (byte) (0x80 | 0x20 | (aptpl ? 0x01 : 0x00));
        data[4] = (byte) 0xEA;
        data[5] = 0x01;
        return data;
    }

    private static byte[] readFullStatus(PersistentReservationState state) {
        ReservationType type = state.reservationType();
        ByteArrayOutputStream descriptors = new ByteArrayOutputStream();
        for (int i = 0; i < state.registrations().size(); i++) {
            Registration registration = state.registrations().get(i);
            boolean holder = type != null && (type.allRegistrants() || state.holderIndex() == i);
            byte[] transportId = TransportId.of(registration).encode();
            byte[] descriptor = new byte[24 + transportId.length];
            Bytes.putLong(descriptor, 0, registration.key());
            descriptor[12] = (byte) ((registration.allTargetPorts() ? 0x02 : 0) | (holder ? 0x01 : 0));
            if (holder) {
                descriptor[13] = (byte) type.code();
            }
            Bytes.putShort(descriptor, 18, registration.relativeTargetPortId());
            Bytes.putInt(descriptor, 20, transportId.length);
            System.arraycopy(transportId, 0, descriptor, 24, transportId.length);
            descriptors.writeBytes(descriptor);
        }
        byte[] data = new byte[8 + descriptors.size()];
        Bytes.putInt(data, 0, state.generation());
        Bytes.putInt(data, 4, descriptors.size());
        System.arraycopy(descriptors.toByteArray(), 0, data, 8, descriptors.size());
        return data;
    }
}
