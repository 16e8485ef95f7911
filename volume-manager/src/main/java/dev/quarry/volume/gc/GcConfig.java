package dev.quarry.volume.gc;

/**
 * When the collector reclaims space. Sealed segments whose live fraction is at most
 * {@code idleLiveFraction} are always cleaned (at most {@code segmentsPerPass} per pool and pass).
 * Once the pool's free segments fall below {@code pressureFreeFraction} of its segments, urgency
 * rises linearly as they fall further: the live fraction up to which segments are cleaned climbs
 * from {@code idleLiveFraction} to {@code pressureLiveFraction} (reached when only the cleaner's
 * reserve is left, or a writer waits), emptiest first, and each pass cleans as many as it takes to
 * get back above the pressure level. Segments with no live byte are freed without copying as
 * soon as the reaper frees their last chunk. A host write that finds no room waits for the
 * collector at most {@code spaceWaitMillis}.
 *
 * <p>Immutable and thread-safe.
 *
 * @param intervalMillis pause between passes when nothing presses
 * @param idleLiveFraction live fraction up to which a segment is always worth cleaning
 * @param pressureFreeFraction free-segment fraction under which cleaning urgency starts to rise
 * @param pressureLiveFraction live fraction up to which segments are cleaned at full urgency
 * @param segmentsPerPass most segments cleaned per pool and pass without pressure
 * @param spaceWaitMillis longest time a host write waits for the collector to make room
 */
public record GcConfig(long intervalMillis, double idleLiveFraction, double pressureFreeFraction,
                       double pressureLiveFraction, int segmentsPerPass, long spaceWaitMillis) {

    /** 200 ms, 25 % live when idle, urgency below 25 % free segments up to 97 % live, 4 per pass, 20 s wait. */
    public static final GcConfig DEFAULT = new GcConfig(200, 0.25, 0.25, 0.97, 4, 20_000);

    public GcConfig {
        if (intervalMillis < 1 || segmentsPerPass < 1 || spaceWaitMillis < 0) {
            throw new IllegalArgumentException("intervalMillis and segmentsPerPass must be positive, spaceWaitMillis not negative");
        }
        if (idleLiveFraction < 0 || idleLiveFraction > pressureLiveFraction || pressureLiveFraction > 1
                || pressureFreeFraction < 0 || pressureFreeFraction > 1) {
            throw new IllegalArgumentException("fractions must satisfy 0 <= idle <= pressure live <= 1 and 0 <= pressure free <= 1");
        }
    }
}
