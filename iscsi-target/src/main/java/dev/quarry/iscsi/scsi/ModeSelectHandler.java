package dev.quarry.iscsi.scsi;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * MODE SELECT(6) and MODE SELECT(10) (SPC-4 §6.9-6.10): validates the whole parameter list (the
 * block descriptor's block length must be the unit's; each page must be implemented, have its
 * length and change only changeable bits) before it changes anything. A change establishes MODE
 * PARAMETERS CHANGED for every other I_T nexus; SP saves the pages through the state store and
 * the command completes once they are durable.
 *
 * <p>Stateless; thread-safe.
 */
final class ModeSelectHandler implements CommandHandler {

    @Override
    public CompletionStage<ScsiResult> execute(CommandContext context) {
        byte[] cdb = context.cdb();
        boolean ten = cdb[0] == 0x55;
        Cdb.reserved(cdb, 1, 0xEE);
        Cdb.reservedBytes(cdb, 2, ten ? 7 : 4);
        boolean save = (cdb[1] & 0x01) != 0;
        long length = ten ? Cdb.u16(cdb, 7) : Cdb.u8(cdb, 4);
        byte[] list = context.parameterList(length);
        if (length == 0) {
            return CompletableFuture.completedFuture(ScsiResult.good());
        }
        LogicalUnit unit = context.unit();
        List<ModeParameters.SelectedPage> pages = parse(unit, list, ten);
        if (!pages.isEmpty() && (cdb[1] & 0x10) == 0) {
            throw ScsiCommandException.invalidFieldInCdb(1, 4);
        }
        if (unit.mode().select(pages, save)) {
            unit.attentions().establishAll(AscAscq.MODE_PARAMETERS_CHANGED, context.nexus());
        }
        if (!save) {
            return CompletableFuture.completedFuture(ScsiResult.good());
        }
        return unit.persist().thenApply(v -> ScsiResult.good());
    }

    private static List<ModeParameters.SelectedPage> parse(LogicalUnit unit, byte[] list, boolean ten) {
        int header = ten ? 8 : 4;
        if (list.length < header) {
            throw ScsiCommandException.parameterListLengthError();
        }
        int descriptorLength = ten ? Cdb.u16(list, 6) : Cdb.u8(list, 3);
        boolean longLba = ten && (list[4] & 0x01) != 0;
        if (descriptorLength != 0 && descriptorLength != (longLba ? 16 : 8)) {
            throw ScsiCommandException.invalidFieldInParameterList(ten ? 6 : 3, 7);
        }
        if (header + descriptorLength > list.length) {
            throw ScsiCommandException.parameterListLengthError();
        }
        if (descriptorLength > 0) {
            int blockLength = longLba ? (int) Cdb.u32(list, header + 12) : Cdb.u24(list, header + 5);
            if (blockLength != unit.limits().blockSize()) {
                throw ScsiCommandException.invalidFieldInParameterList(header + (longLba ? 12 : 5), 7);
            }
        }
        return pages(list, header + descriptorLength);
    }

    /** The pages from offset {@code at} to the end of the parameter list. */
    private static List<ModeParameters.SelectedPage> pages(byte[] list, int from) {
        List<ModeParameters.SelectedPage> pages = new ArrayList<>();
        int at = from;
        while (at < list.length) {
            if (at + 2 > list.length) {
                throw ScsiCommandException.parameterListLengthError();
            }
            if ((list[at] & 0x40) != 0) {
                throw ScsiCommandException.invalidFieldInParameterList(at, 6);
            }
            int pageLength = Cdb.u8(list, at + 1) + 2;
            if (at + pageLength > list.length) {
                throw ScsiCommandException.parameterListLengthError();
            }
            byte[] page = java.util.Arrays.copyOfRange(list, at, at + pageLength);
            page[0] &= 0x7F;
            pages.add(new ModeParameters.SelectedPage(at, page));
            at += pageLength;
        }
        return pages;
    }
}
