package dev.quarry.volume.map;

import dev.quarry.volume.chunk.Placement;

/**
 * What a block maps to: a chunk id, plus a hint of where the chunk's record lies so that a read
 * costs one lookup (DESIGN "Cost model"). The hint is verified against the chunk header read
 * anyway; after the chunk moved (cleaning, drain) it is stale and is fixed lazily.
 *
 * <p>Immutable and thread-safe.
 */
public record MapValue(long chunkId, Placement hint) {

    public MapValue withHint(Placement placement) {
        return new MapValue(chunkId, placement);
    }
}
