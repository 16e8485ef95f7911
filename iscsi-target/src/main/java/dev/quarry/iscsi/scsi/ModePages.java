package dev.quarry.iscsi.scsi;

import java.util.Map;
import java.util.TreeMap;

/**
 * The mode pages this target implements (SPC-4 §7.5, SBC-3 §6.4), each with its default values
 * and changeable-value mask, as whole pages including the two-byte page header.
 *
 * <pre>
 * 01h read-write error recovery  AWRE=1 ARRE=1                       nothing changeable
 * 08h caching                    WCE = the volume has a volatile cache  WCE changeable when it has one
 * 0Ah control                    TST=0 QAM=1 QERR=0 D_SENSE SWP TAS     D_SENSE, SWP, TAS changeable
 * 1Ch informational exceptions   DEXCPT=1 MRIE=0                      nothing changeable
 * </pre>
 *
 * <p>Immutable and thread-safe (every accessor returns copies).
 */
final class ModePages {

    static final int READ_WRITE_ERROR_RECOVERY = 0x01;
    static final int CACHING = 0x08;
    static final int CONTROL = 0x0A;
    static final int INFORMATIONAL_EXCEPTIONS = 0x1C;
    /** Page code 3Fh asks for every page. */
    static final int ALL_PAGES = 0x3F;

    /** One mode page: its defaults and which bits MODE SELECT may change. */
    record Page(int code, byte[] defaults, byte[] changeable) {

        byte[] defaultsCopy() {
            return defaults.clone();
        }

        /** The changeable-value mask, with the page header as MODE SENSE returns it. */
        byte[] changeableCopy() {
            byte[] mask = changeable.clone();
            mask[0] = defaults[0];
            mask[1] = defaults[1];
            return mask;
        }

        int length() {
            return defaults.length;
        }
    }

    private final Map<Integer, Page> pages = new TreeMap<>();

    /** The pages of a logical unit whose volume has ({@code volatileCache}) or lacks a volatile write cache. */
    ModePages(boolean volatileCache) {
        pages.put(READ_WRITE_ERROR_RECOVERY, readWriteErrorRecovery());
        pages.put(CACHING, caching(volatileCache));
        pages.put(CONTROL, control());
        pages.put(INFORMATIONAL_EXCEPTIONS, informationalExceptions());
    }

    /** The page with {@code code}, or {@code null}. */
    Page page(int code) {
        return pages.get(code);
    }

    /** Every page, ascending by page code. */
    Iterable<Page> all() {
        return pages.values();
    }

    private static Page readWriteErrorRecovery() {
        byte[] defaults = header(READ_WRITE_ERROR_RECOVERY, 12);
        defaults[2] = (byte) 0xC0;
        return new Page(READ_WRITE_ERROR_RECOVERY, defaults, new byte[12]);
    }

    private static Page caching(boolean volatileCache) {
        byte[] defaults = header(CACHING, 20);
        byte[] changeable = new byte[20];
        if (volatileCache) {
            defaults[2] = 0x04;
            changeable[2] = 0x04;
        }
        return new Page(CACHING, defaults, changeable);
    }

    private static Page control() {
        byte[] defaults = header(CONTROL, 12);
        defaults[2] = 0x02;
        defaults[3] = 0x10;
        defaults[5] = 0x40;
        defaults[8] = (byte) 0xFF;
        defaults[9] = (byte) 0xFF;
        byte[] changeable = new byte[12];
        changeable[2] = 0x04;
        changeable[4] = 0x08;
        changeable[5] = 0x40;
        return new Page(CONTROL, defaults, changeable);
    }

    private static Page informationalExceptions() {
        byte[] defaults = header(INFORMATIONAL_EXCEPTIONS, 12);
        defaults[2] = 0x08;
        return new Page(INFORMATIONAL_EXCEPTIONS, defaults, new byte[12]);
    }

    private static byte[] header(int code, int length) {
        byte[] page = new byte[length];
        page[0] = (byte) code;
        page[1] = (byte) (length - 2);
        return page;
    }
}
