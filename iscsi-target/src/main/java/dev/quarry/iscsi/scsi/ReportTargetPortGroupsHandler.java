package dev.quarry.iscsi.scsi;

import java.util.SortedSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * REPORT TARGET PORT GROUPS (SPC-4 §6.36), implicit ALUA: one target port group per target portal
 * group of the target the command came through, each active/optimized, holding one target port
 * whose relative port identifier is the portal group tag (as VPD page 83h reports it). Parameter
 * data format 000b (length only) and 001b (extended header) are served.
 *
 * <pre>
 * 0..3 RETURN DATA LENGTH  [4 FORMAT TYPE 001b (6..4)  5 IMPLICIT TRANSITION TIME]
 * group: 0 PREF|ASYMMETRIC ACCESS STATE  1 supported states (AO_SUP)  2..3 TARGET PORT GROUP
 *        5 STATUS CODE  7 TARGET PORT COUNT  then 4 bytes per port: 2..3 RELATIVE TARGET PORT ID
 * </pre>
 *
 * <p>Stateless; thread-safe.
 */
final class ReportTargetPortGroupsHandler implements CommandHandler {

    private static final int ACTIVE_OPTIMIZED = 0x0;

    @Override
    public CompletionStage<ScsiResult> execute(CommandContext context) {
        byte[] cdb = context.cdb();
        int format = (cdb[1] & 0xE0) >>> 5;
        if (format > 1) {
            throw ScsiCommandException.invalidFieldInCdb(1, 7);
        }
        Cdb.reservedBytes(cdb, 2, 6);
        Cdb.reserved(cdb, 10, 0xFF);
        long allocation = Cdb.u32(cdb, 6);
        SortedSet<Integer> groups = context.binding().target().portalGroupTags();
        boolean extended = format == 1;
        int header = extended ? 8 : 4;
        byte[] data = new byte[header + groups.size() * 12];
        Bytes.putInt(data, 0, data.length - 4);
        if (extended) {
            data[4] = 0x10;
        }
        int at = header;
        for (int group : groups) {
            data[at] = (byte) ACTIVE_OPTIMIZED;
            data[at + 1] = 0x01;
            Bytes.putShort(data, at + 2, group);
            data[at + 7] = 1;
            Bytes.putShort(data, at + 10, group);
            at += 12;
        }
        return CompletableFuture.completedFuture(CommandContext.goodData(data, allocation));
    }
}
