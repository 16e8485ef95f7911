package dev.quarry.block;

/**
 * Receives how far a running sanitize got, for the PROGRESS INDICATION hosts poll. Called on the
 * volume's threads; must not block.
 */
@FunctionalInterface
public interface SanitizeProgress {

    /** Nothing listens. */
    SanitizeProgress NONE = (done, total) -> { };

    /** {@code done} of {@code total} units of work (units are the volume's own) are finished. */
    void progressed(long done, long total);
}
