package dev.quarry.appliance.config;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Sizes as admins write them: a byte count with an optional binary ("8GiB", "512KiB") or decimal
 * ("100GB") suffix, and back to the shortest exact binary form for display.
 */
public final class ByteSize {

    private static final Pattern FORMAT = Pattern.compile("^\\s*(\\d+)\\s*([KMGTP]?)(i?)(B?)\\s*$", Pattern.CASE_INSENSITIVE);
    private static final String UNITS = "KMGTP";

    private ByteSize() {
    }

    /**
     * Parses {@code text}: plain digits are bytes; K/M/G/T/P with "iB" (or alone, as storage tools
     * do) are powers of 1024; with "B" but no "i" they are powers of 1000.
     *
     * @throws IllegalArgumentException when the text is not a size or does not fit a long
     */
    public static long parse(String text) {
        Matcher m = FORMAT.matcher(text == null ? "" : text);
        if (!m.matches()) {
            throw new IllegalArgumentException("not a size: \"" + text + "\" (examples: 4096, 512MiB, 8GiB, 100GB)");
        }
        long value = Long.parseLong(m.group(1));
        String unit = m.group(2).toUpperCase(Locale.ROOT);
        if (unit.isEmpty()) {
            if (!m.group(3).isEmpty()) {
                throw new IllegalArgumentException("not a size: \"" + text + "\"");
            }
            return value;
        }
        boolean decimal = m.group(3).isEmpty() && !m.group(4).isEmpty();
        long base = decimal ? 1000 : 1024;
        long factor = 1;
        for (int i = 0; i <= UNITS.indexOf(unit); i++) {
            factor *= base;
        }
        try {
            return Math.multiplyExact(value, factor);
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("size too large: \"" + text + "\"", e);
        }
    }

    /** The shortest exact binary form: 8589934592 is "8GiB"; 1536 stays "1536B" rather than a rounded "1.5KiB". */
    public static String format(long bytes) {
        if (bytes == 0) {
            return "0B";
        }
        int unit = -1;
        long value = bytes;
        while (unit < UNITS.length() - 1 && value % 1024 == 0) {
            value /= 1024;
            unit++;
        }
        return unit < 0 ? bytes + "B" : value + String.valueOf(UNITS.charAt(unit)) + "iB";
    }
}
