package dev.quarry.iscsi.scsi;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The current and saved mode parameters of one logical unit, shared by all I_T nexuses (SPC-4
 * §7.5). MODE SELECT validates every page against the changeable mask before it changes any;
 * the settings the data path reads on every command (WCE, D_SENSE, SWP, TAS) are published as an
 * immutable {@link Settings} snapshot.
 *
 * <p>Thread-safe: page bytes are guarded by this object's monitor, {@link #settings()} is a
 * volatile read.
 */
final class ModeParameters {

    /** The PAGE CONTROL field of MODE SENSE. */
    enum PageControl { CURRENT, CHANGEABLE, DEFAULT, SAVED }

    /** The mode parameters that change how commands execute. */
    record Settings(boolean writeCacheEnabled, boolean descriptorSense, boolean softwareWriteProtect,
                    boolean taskAbortedStatus) {
    }

    /** A page as it appeared in a MODE SELECT parameter list, and where. */
    record SelectedPage(int offset, byte[] bytes) {
    }

    private final ModePages pages;
    private final Map<Integer, byte[]> current = new HashMap<>();
    private final Map<Integer, byte[]> saved = new HashMap<>();
    private volatile Settings settings;

    /** Starts from {@code savedPages} (page code to whole page) where valid, defaults elsewhere. */
    ModeParameters(ModePages pages, Map<Integer, byte[]> savedPages) {
        this.pages = pages;
        for (ModePages.Page page : pages.all()) {
            byte[] stored = savedPages.get(page.code());
            byte[] value = stored != null && stored.length == page.length()
                    ? merge(page, stored) : page.defaultsCopy();
            saved.put(page.code(), value);
            current.put(page.code(), value.clone());
        }
        publish();
    }

    Settings settings() {
        return settings;
    }

    ModePages pages() {
        return pages;
    }

    /** The page {@code code} as {@code control} asks, or {@code null} if there is no such page. */
    synchronized byte[] page(int code, PageControl control) {
        ModePages.Page page = pages.page(code);
        if (page == null) {
            return null;
        }
        return switch (control) {
            case CURRENT -> current.get(code).clone();
            case CHANGEABLE -> page.changeableCopy();
            case DEFAULT -> page.defaultsCopy();
            case SAVED -> saved.get(code).clone();
        };
    }

    /**
     * Validates and applies the pages of a MODE SELECT; with {@code save} they also become the
     * saved values. Returns whether any current value changed. Nothing changes when any page is
     * invalid.
     */
    synchronized boolean select(List<SelectedPage> selected, boolean save) {
        for (SelectedPage candidate : selected) {
            validate(candidate);
        }
        boolean changed = false;
        for (SelectedPage candidate : selected) {
            ModePages.Page page = pages.page(candidate.bytes()[0] & 0x3F);
            byte[] next = merge(page, candidate.bytes());
            changed |= !java.util.Arrays.equals(next, current.get(page.code()));
            current.put(page.code(), next);
            if (save) {
                saved.put(page.code(), next.clone());
            }
        }
        publish();
        return changed;
    }

    /** Current values fall back to the saved ones (logical unit reset, SPC-4 §7.5.1). */
    synchronized void revertToSaved() {
        saved.forEach((code, value) -> current.put(code, value.clone()));
        publish();
    }

    /** The saved pages, page code to whole page, for the state store. */
    synchronized Map<Integer, byte[]> savedPages() {
        Map<Integer, byte[]> copy = new HashMap<>();
        saved.forEach((code, value) -> copy.put(code, value.clone()));
        return copy;
    }

    private void validate(SelectedPage candidate) {
        byte[] bytes = candidate.bytes();
        ModePages.Page page = pages.page(bytes[0] & 0x3F);
        if (page == null || (bytes[0] & 0x40) != 0) {
            throw ScsiCommandException.invalidFieldInParameterList(candidate.offset(), 5);
        }
        if (bytes.length != page.length()) {
            throw ScsiCommandException.invalidFieldInParameterList(candidate.offset() + 1, 7);
        }
        byte[] now = current.get(page.code());
        byte[] changeable = page.changeable();
        for (int i = 2; i < bytes.length; i++) {
            int fixedBitsChanged = (bytes[i] ^ now[i]) & ~changeable[i] & 0xFF;
            if (fixedBitsChanged != 0) {
                throw ScsiCommandException.invalidFieldInParameterList(candidate.offset() + i,
                        31 - Integer.numberOfLeadingZeros(fixedBitsChanged));
            }
        }
    }

    /** The defaults with the changeable bits taken from {@code values}. */
    private static byte[] merge(ModePages.Page page, byte[] values) {
        byte[] result = page.defaultsCopy();
        byte[] changeable = page.changeable();
        for (int i = 2; i < result.length; i++) {
            result[i] = (byte) (result[i] & ~changeable[i] | values[i] & changeable[i]);
        }
        return result;
    }

    private void publish() {
        byte[] caching = current.get(ModePages.CACHING);
        byte[] control = current.get(ModePages.CONTROL);
        settings = new Settings((caching[2] & 0x04) != 0, (control[2] & 0x04) != 0,
                (control[4] & 0x08) != 0, (control[5] & 0x40) != 0);
    }
}
