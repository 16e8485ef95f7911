package dev.quarry.iscsi.scsi;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * INQUIRY (SPC-4 §6.6): the standard data or a VPD page ({@link VpdPages}), cut to the
 * allocation length. The standard data claims SPC-4 (VERSION 06h), implicit ALUA (TPGS 01b),
 * third-party copy (3PC), multiple ports and command queuing, and lists the version descriptors
 * SAM-5, iSCSI, SPC-4 and SBC-3.
 *
 * <pre>
 *  0 qualifier|type  2 VERSION  3 HISUP|format 2  4 ADDITIONAL LENGTH  5 TPGS|3PC  6 MULTIP  7 CMDQUE
 *  8..15 vendor  16..31 product  32..35 revision  58..73 version descriptors  (96 bytes)
 * </pre>
 *
 * <p>Stateless; thread-safe.
 */
final class InquiryHandler implements CommandHandler {

    static final int STANDARD_LENGTH = 96;
    private static final int[] VERSION_DESCRIPTORS = {0x00A0, 0x0960, 0x0460, 0x04C0};

    @Override
    public CompletionStage<ScsiResult> execute(CommandContext context) {
        byte[] cdb = context.cdb();
        int allocation = validate(cdb);
        LogicalUnit unit = context.unit();
        byte[] data;
        if ((cdb[1] & 0x01) == 0) {
            data = standard(unit.identity(), 0x00);
        } else {
            data = VpdPages.page(unit, context.binding(), Cdb.u8(cdb, 2));
            if (data == null) {
                throw ScsiCommandException.invalidFieldInCdb(2, 7);
            }
        }
        return CompletableFuture.completedFuture(CommandContext.goodData(data, allocation));
    }

    /**
     * The answer for a LUN that is not mapped: standard data with peripheral qualifier 011b and
     * device type 1Fh (SPC-4 §6.6.2); VPD pages are not available there.
     */
    static ScsiResult unmappedLun(byte[] cdb) {
        int allocation = validate(cdb);
        if ((cdb[1] & 0x01) != 0) {
            throw ScsiCommandException.invalidFieldInCdb(1, 0);
        }
        LogicalUnitIdentity nobody = new LogicalUnitIdentity(new byte[] {0x60, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0},
                LogicalUnitIdentity.QUARRY, "", "", "-");
        return CommandContext.goodData(standard(nobody, 0x7F), allocation);
    }

    /** Checks the CDB; returns the allocation length. EVPD 0 with a page code is an invalid field. */
    private static int validate(byte[] cdb) {
        Cdb.reserved(cdb, 1, 0xFE);
        if ((cdb[1] & 0x01) == 0 && cdb[2] != 0) {
            throw ScsiCommandException.invalidFieldInCdb(2, 7);
        }
        return Cdb.u16(cdb, 3);
    }

    private static byte[] standard(LogicalUnitIdentity identity, int peripheral) {
        byte[] data = new byte[STANDARD_LENGTH];
        data[0] = (byte) peripheral;
        data[2] = 0x06;
        data[3] = 0x02;
        data[4] = (byte) (STANDARD_LENGTH - 5);
        data[5] = 0x18;
        data[6] = 0x10;
        data[7] = 0x02;
        System.arraycopy(LogicalUnitIdentity.padded(identity.vendorId(), 8), 0, data, 8, 8);
        System.arraycopy(LogicalUnitIdentity.padded(identity.productId(), 16), 0, data, 16, 16);
        System.arraycopy(LogicalUnitIdentity.padded(identity.productRevision(), 4), 0, data, 32, 4);
        for (int i = 0; i < VERSION_DESCRIPTORS.length; i++) {
            Bytes.putShort(data, 58 + 2 * i, VERSION_DESCRIPTORS[i]);
        }
        return data;
    }
}
