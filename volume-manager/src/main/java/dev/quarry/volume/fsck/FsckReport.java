package dev.quarry.volume.fsck;

import java.util.List;

/**
 * What {@link Fsck} found: the problems, each precisely located, and what it counted.
 *
 * <p>Immutable and thread-safe.
 *
 * @param problems every disagreement found (empty when the store is consistent)
 * @param volumes volume definitions checked
 * @param mappedBlocks live block-map entries checked
 * @param chunks chunk records checked
 * @param segments allocated segments checked
 * @param staleHints map entries whose placement hint differs from the chunk record (not a problem)
 */
public record FsckReport(List<Problem> problems, long volumes, long mappedBlocks, long chunks, long segments, long staleHints) {

    /** The kinds of disagreement fsck knows. */
    public enum Kind {
        MAP_ENTRY_OF_UNKNOWN_VOLUME, MAP_ENTRY_BEYOND_CAPACITY, MAP_VALUE_UNREADABLE, MAP_TO_MISSING_CHUNK,
        REFCOUNT_MISMATCH, LEAKED_CHUNK, ORPHAN_REFCOUNT, CHUNK_ON_UNKNOWN_DISK, CHUNK_IN_FREE_SEGMENT,
        CHUNK_HEADER_MISMATCH, CHUNK_UNREADABLE, SEGMENT_LIVE_MISMATCH, SEGMENT_OF_UNKNOWN_DISK,
        VOLUME_USAGE_MISMATCH, SNAPSHOT_USAGE_MISMATCH
    }

    /**
     * One disagreement.
     *
     * @param kind what disagrees
     * @param where the key, chunk or segment concerned
     * @param detail what was expected and found
     */
    public record Problem(Kind kind, String where, String detail) {
        @Override
        public String toString() {
            return kind + " at " + where + ": " + detail;
        }
    }

    public boolean clean() {
        return problems.isEmpty();
    }

    /** Problems of one kind. */
    public List<Problem> of(Kind kind) {
        return problems.stream().filter(p -> p.kind() == kind).toList();
    }
}
