package dev.quarry.iscsi.scsi;

import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * REPORT SUPPORTED OPERATION CODES (SPC-4 §6.35) from the {@link CommandCatalog}: all commands
 * (REPORTING OPTIONS 000b), one command by opcode (001b; an opcode with service actions is an
 * invalid field), by opcode and service action (010b; an opcode without them is an invalid
 * field), or either (011b). RCTD adds a command timeouts descriptor to every entry.
 *
 * <pre>
 * all:  0..3 COMMAND DATA LENGTH, then per command: 0 OPCODE  2..3 SERVICE ACTION  5 CTDP|SERVACTV
 *       6..7 CDB LENGTH  [12-byte timeouts descriptor]
 * one:  1 CTDP|SUPPORT (011b supported, 001b not)  2..3 CDB SIZE  4.. CDB USAGE DATA  [timeouts]
 * </pre>
 *
 * <p>Stateless; thread-safe.
 */
final class ReportSupportedOpcodesHandler implements CommandHandler {

    private static final int SUPPORTED = 0x03;
    private static final int NOT_SUPPORTED = 0x01;

    @Override
    public CompletionStage<ScsiResult> execute(CommandContext context) {
        byte[] cdb = context.cdb();
        Cdb.reserved(cdb, 1, 0xE0);
        Cdb.reserved(cdb, 2, 0x78);
        Cdb.reserved(cdb, 10, 0xFF);
        boolean timeouts = (cdb[2] & 0x80) != 0;
        int options = cdb[2] & 0x07;
        int opcode = Cdb.u8(cdb, 3);
        int serviceAction = Cdb.u16(cdb, 4);
        long allocation = Cdb.u32(cdb, 6);
        DeviceLimits limits = context.unit().limits();
        byte[] data = switch (options) {
            case 0 -> all(CommandCatalog.offered(limits), timeouts);
            case 1, 2, 3 -> one(limits, options, opcode, serviceAction, timeouts);
            default -> throw ScsiCommandException.invalidFieldInCdb(2, 2);
        };
        return CompletableFuture.completedFuture(CommandContext.goodData(data, allocation));
    }

    private static byte[] all(List<CommandCatalog.Entry> entries, boolean timeouts) {
        ByteArrayOutputStream descriptors = new ByteArrayOutputStream();
        for (CommandCatalog.Entry entry : entries) {
            byte[] descriptor = new byte[8];
            descriptor[0] = (byte) entry.opcode().code();
            if (entry.hasServiceAction()) {
                Bytes.putShort(descriptor, 2, entry.serviceAction());
                descriptor[5] = 0x01;
            }
            if (timeouts) {
                descriptor[5] |= 0x02;
            }
            Bytes.putShort(descriptor, 6, entry.opcode().cdbLength());
            descriptors.writeBytes(descriptor);
            if (timeouts) {
                descriptors.writeBytes(timeoutsDescriptor(entry));
            }
        }
        byte[] data = new byte[4 + descriptors.size()];
        Bytes.putInt(data, 0, descriptors.size());
        System.arraycopy(descriptors.toByteArray(), 0, data, 4, descriptors.size());
        return data;
    }

    private static byte[] one(DeviceLimits limits, int options, int opcode, int serviceAction, boolean timeouts) {
        ScsiOpcode known = ScsiOpcode.of(opcode);
        boolean serviceActions = known != null && known.serviceActionBased();
        if (options == 1 && serviceActions) {
            throw ScsiCommandException.invalidFieldInCdb(3, 7);
        }
        if (options == 2 && known != null && !serviceActions) {
            throw ScsiCommandException.invalidFieldInCdb(3, 7);
        }
        CommandCatalog.Entry entry = CommandCatalog.find(limits, opcode, serviceAction);
        if (entry == null) {
            byte[] data = new byte[4];
            data[1] = NOT_SUPPORTED;
            return data;
        }
        byte[] usage = entry.usageCopy();
        byte[] data = new byte[4 + usage.length + (timeouts ? 12 : 0)];
        data[1] = (byte) (SUPPORTED | (timeouts ? 0x80 : 0));
        Bytes.putShort(data, 2, usage.length);
        System.arraycopy(usage, 0, data, 4, usage.length);
        if (timeouts) {
            System.arraycopy(timeoutsDescriptor(entry), 0, data, 4 + usage.length, 12);
        }
        return data;
    }

    /** A command timeouts descriptor (SPC-4 §6.35.4): no nominal time known, the recommended timeout. */
    private static byte[] timeoutsDescriptor(CommandCatalog.Entry entry) {
        byte[] descriptor = new byte[12];
        Bytes.putShort(descriptor, 0, 0x0A);
        Bytes.putInt(descriptor, 8, entry.timeoutSeconds());
        return descriptor;
    }
}
