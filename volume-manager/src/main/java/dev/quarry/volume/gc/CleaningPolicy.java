package dev.quarry.volume.gc;

/**
 * Decides, from a pool's free segments, how hard the cleaner works this pass (see
 * {@link GcConfig}): the live fraction up to which a sealed segment is cleaned and how many
 * segments to clean. Urgency is 0 at or above the pressure level of free segments, 1 at the
 * cleaner's reserve (or while a writer waits for space), and linear in between.
 *
 * <p>Immutable and thread-safe.
 */
final class CleaningPolicy {

    /**
     * What to do in one pool this pass.
     *
     * @param liveLimit clean sealed segments whose live fraction is at most this
     * @param budget most segments to clean
     * @param urgency 0 (no pressure) to 1 (out of free segments)
     */
    record Plan(double liveLimit, int budget, double urgency) {
    }

    private final GcConfig config;

    CleaningPolicy(GcConfig config) {
        this.config = config;
    }

    /**
     * The plan for a pool of {@code totalSegments} with {@code freeSegments} free, of which
     * {@code reserveSegments} are held back for the cleaner; {@code writersWaiting} forces full urgency.
     */
    Plan plan(int freeSegments, int totalSegments, int reserveSegments, boolean writersWaiting) {
        double pressureLevel = Math.ceil(totalSegments * config.pressureFreeFraction());
        double urgency;
        if (writersWaiting || freeSegments <= reserveSegments) {
            urgency = 1;
        } else if (freeSegments >= pressureLevel) {
            urgency = 0;
        } else {
            urgency = Math.min(1, (pressureLevel - freeSegments) / Math.max(1, pressureLevel - reserveSegments));
        }
        double liveLimit = config.idleLiveFraction() + (config.pressureLiveFraction() - config.idleLiveFraction()) * urgency;
        int shortfall = (int) Math.max(0, pressureLevel - freeSegments);
        int budget = urgency == 0 ? config.segmentsPerPass() : Math.max(config.segmentsPerPass(), shortfall);
        return new Plan(liveLimit, budget, urgency);
    }
}
