package dev.quarry.volume.gc;

/**
 * When the cleaner cleans. Sealed segments whose live fraction is at most {@code idleLiveFraction}
 * are always cleaned; when the pool's free segments fall below {@code pressureFreeFraction} of
 * its segments, those at most {@code pressureLiveFraction} live are cleaned too, emptiest first.
 *
 * <p>Immutable and thread-safe.
 *
 * @param intervalMillis pause between passes when idle
 * @param idleLiveFraction live fraction below which a segment is always worth cleaning
 * @param pressureFreeFraction free-segment fraction under which the cleaner works harder
 * @param pressureLiveFraction live fraction below which segments are cleaned under pressure
 * @param segmentsPerPass most segments cleaned per pool per pass
 */
public record GcConfig(long intervalMillis, double idleLiveFraction, double pressureFreeFraction,
                       double pressureLiveFraction, int segmentsPerPass) {

    public static final GcConfig DEFAULT = new GcConfig(200, 0.25, 0.2, 0.8, 4);
}
