package dev.quarry.iscsi.scsi;

import java.io.ByteArrayOutputStream;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * MODE SENSE(6) and MODE SENSE(10) (SPC-4 §6.11-6.12): a mode parameter header, a block
 * descriptor (short, or long with LLBAA; none with DBD) and the requested pages with the values
 * PAGE CONTROL asks for (current, changeable, default, saved). Page 3Fh returns every page;
 * subpage FFh returns every subpage of a page (none are implemented, so the pages alone). The
 * device-specific parameter reports WP (read-only volume or SWP) and DPOFUA.
 *
 * <p>Stateless; thread-safe.
 */
final class ModeSenseHandler implements CommandHandler {

    @Override
    public CompletionStage<ScsiResult> execute(CommandContext context) {
        byte[] cdb = context.cdb();
        boolean ten = cdb[0] == 0x5A;
        Cdb.reserved(cdb, 1, ten ? 0xE7 : 0xF7);
        if (ten) {
            Cdb.reservedBytes(cdb, 4, 7);
        }
        boolean blockDescriptor = (cdb[1] & 0x08) == 0;
        boolean longLba = ten && (cdb[1] & 0x10) != 0;
        ModeParameters.PageControl control = ModeParameters.PageControl.values()[(cdb[2] & 0xC0) >>> 6];
        int pageCode = cdb[2] & 0x3F;
        int subpage = Cdb.u8(cdb, 3);
        long allocation = ten ? Cdb.u16(cdb, 7) : Cdb.u8(cdb, 4);
        LogicalUnit unit = context.unit();
        byte[] pages = pages(unit.mode(), control, pageCode, subpage);
        byte[] descriptor = blockDescriptor ? descriptor(unit, control, longLba) : new byte[0];
        byte[] data = assemble(unit, ten, longLba, descriptor, pages);
        return CompletableFuture.completedFuture(CommandContext.goodData(data, allocation));
    }

    private static byte[] pages(ModeParameters mode, ModeParameters.PageControl control, int pageCode, int subpage) {
        if (subpage != 0x00 && subpage != 0xFF) {
            throw ScsiCommandException.invalidFieldInCdb(3, 7);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        if (pageCode == ModePages.ALL_PAGES) {
            for (ModePages.Page page : mode.pages().all()) {
                out.writeBytes(withSaveableBit(mode.page(page.code(), control)));
            }
            return out.toByteArray();
        }
        byte[] page = mode.page(pageCode, control);
        if (page == null) {
            throw ScsiCommandException.invalidFieldInCdb(2, 5);
        }
        return withSaveableBit(page);
    }

    /** Every page of this unit can be saved (PS 1). */
    private static byte[] withSaveableBit(byte[] page) {
        page[0] |= (byte) 0x80;
        return page;
    }

    private static byte[] descriptor(LogicalUnit unit, ModeParameters.PageControl control, boolean longLba) {
        byte[] descriptor = new byte[longLba ? 16 : 8];
        if (control == ModeParameters.PageControl.CHANGEABLE) {
            return descriptor;
        }
        long blocks = unit.volume().blockCount();
        int blockSize = unit.limits().blockSize();
        if (longLba) {
            Bytes.putLong(descriptor, 0, blocks);
            Bytes.putInt(descriptor, 12, blockSize);
        } else {
            Bytes.putInt(descriptor, 0, (int) Math.min(blocks, 0xFFFF_FFFFL));
            Bytes.putInt(descriptor, 4, blockSize & 0xFF_FFFF);
        }
        return descriptor;
    }

    private static byte[] assemble(LogicalUnit unit, boolean ten, boolean longLba, byte[] descriptor, byte[] pages) {
        int header = ten ? 8 : 4;
        byte[] data = new byte[header + descriptor.length + pages.length];
        int deviceSpecific = 0x10;
        if (unit.volume().readOnly() || unit.mode().settings().softwareWriteProtect()) {
            deviceSpecific |= 0x80;
        }
        if (ten) {
            Bytes.putShort(data, 0, data.length - 2);
            data[3] = (byte) deviceSpecific;
            data[4] = (byte) (longLba && descriptor.length > 0 ? 0x01 : 0x00);
            Bytes.putShort(data, 6, descriptor.length);
        } else {
            data[0] = (byte) (data.length - 1);
            data[2] = (byte) deviceSpecific;
            data[3] = (byte) descriptor.length;
        }
        System.arraycopy(descriptor, 0, data, header, descriptor.length);
        System.arraycopy(pages, 0, data, header + descriptor.length, pages.length);
        return data;
    }
}
