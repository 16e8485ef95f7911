package dev.quarry.iscsi.session;

/**
 * RFC 1982 serial number arithmetic with SERIAL_BITS = 32, as RFC 7143 §4.2.2.1 requires for
 * CmdSN, StatSN, DataSN and R2TSN. Numbers are raw {@code int}s holding the unsigned wire value.
 * Two numbers exactly 2^31 apart are incomparable; every predicate answers {@code false} for them.
 *
 * <p>Stateless and thread-safe.
 */
public final class SerialNumber {

    private SerialNumber() {
    }

    /** {@code s1 < s2} in serial arithmetic. */
    public static boolean lessThan(int s1, int s2) {
        int diff = s1 - s2;
        return diff < 0 && diff != Integer.MIN_VALUE;
    }

    /** {@code s1 > s2} in serial arithmetic. */
    public static boolean greaterThan(int s1, int s2) {
        int diff = s1 - s2;
        return diff > 0;
    }

    /** {@code s1 <= s2} in serial arithmetic. */
    public static boolean lessOrEqual(int s1, int s2) {
        return s1 == s2 || lessThan(s1, s2);
    }

    /** The later of two serial numbers ({@code a} when incomparable). */
    public static int max(int a, int b) {
        return greaterThan(b, a) ? b : a;
    }

    /** Whether {@code sn} lies in the closed window [{@code low}, {@code high}]. */
    public static boolean inWindow(int sn, int low, int high) {
        return lessOrEqual(low, sn) && lessOrEqual(sn, high);
    }
}
