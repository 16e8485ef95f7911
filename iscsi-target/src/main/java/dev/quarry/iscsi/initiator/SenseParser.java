package dev.quarry.iscsi.initiator;

import dev.quarry.iscsi.scsi.SenseData;
import dev.quarry.iscsi.scsi.SenseKey;
import io.netty.buffer.ByteBuf;

/**
 * Decodes sense data a target returns (SPC-4 §4.5) into {@link SenseData}: fixed format (70h/71h:
 * key in byte 2, INFORMATION in bytes 3..6 when VALID, ASC/ASCQ in bytes 12/13) and descriptor
 * format (72h/73h: key, ASC, ASCQ in bytes 1..3, INFORMATION from the information descriptor,
 * type 00h). Also unwraps the iSCSI sense segment: a 2-byte SenseLength before the sense bytes
 * (RFC 7143 §11.4.7).
 *
 * <p>Stateless and thread-safe.
 */
final class SenseParser {

    private static final int FIXED_CURRENT = 0x70;
    private static final int FIXED_DEFERRED = 0x71;
    private static final int DESCRIPTOR_CURRENT = 0x72;
    private static final int DESCRIPTOR_DEFERRED = 0x73;
    private static final int INFORMATION_DESCRIPTOR = 0x00;

    private SenseParser() {
    }

    /** The sense in an iSCSI sense segment (borrowed), or {@code null} when it holds none. */
    static SenseData ofSegment(ByteBuf segment) {
        if (segment.readableBytes() < 2) {
            return null;
        }
        int at = segment.readerIndex();
        int length = Math.min(segment.getUnsignedShort(at), segment.readableBytes() - 2);
        byte[] sense = new byte[length];
        segment.getBytes(at + 2, sense);
        return parse(sense);
    }

    /** The sense in {@code sense}, or {@code null} when it is empty or of an unknown format. */
    static SenseData parse(byte[] sense) {
        if (sense.length < 1) {
            return null;
        }
        int code = sense[0] & 0x7F;
        return switch (code) {
            case FIXED_CURRENT, FIXED_DEFERRED -> fixed(sense);
            case DESCRIPTOR_CURRENT, DESCRIPTOR_DEFERRED -> descriptor(sense);
            default -> null;
        };
    }

    private static SenseData fixed(byte[] s) {
        if (s.length < 3) {
            return null;
        }
        boolean valid = (s[0] & 0x80) != 0 && s.length >= 7;
        long information = valid ? Integer.toUnsignedLong(int32(s, 3)) : 0;
        int asc = s.length > 12 ? s[12] & 0xFF : 0;
        int ascq = s.length > 13 ? s[13] & 0xFF : 0;
        return new SenseData(SenseKey.of(s[2] & 0x0F), asc, ascq, information, valid, -1);
    }

    private static SenseData descriptor(byte[] s) {
        if (s.length < 4) {
            return null;
        }
        long information = 0;
        boolean valid = false;
        int end = s.length >= 8 ? Math.min(s.length, 8 + (s[7] & 0xFF)) : s.length;
        int at = 8;
        while (at + 2 <= end) {
            int type = s[at] & 0xFF;
            int length = s[at + 1] & 0xFF;
            if (type == INFORMATION_DESCRIPTOR && length >= 0x0A && at + 12 <= end) {
                valid = (s[at + 2] & 0x80) != 0;
                information = (long) int32(s, at + 4) << 32 | Integer.toUnsignedLong(int32(s, at + 8));
            }
            at += 2 + length;
        }
        return new SenseData(SenseKey.of(s[1] & 0x0F), s[2] & 0xFF, s[3] & 0xFF, information, valid, -1);
    }

    private static int int32(byte[] s, int at) {
        return (s[at] & 0xFF) << 24 | (s[at + 1] & 0xFF) << 16 | (s[at + 2] & 0xFF) << 8 | s[at + 3] & 0xFF;
    }
}
