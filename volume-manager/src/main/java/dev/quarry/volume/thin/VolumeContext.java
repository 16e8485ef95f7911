package dev.quarry.volume.thin;

import dev.quarry.volume.chunk.ChunkReader;
import dev.quarry.volume.chunk.ChunkWriter;
import dev.quarry.volume.commit.Committer;
import dev.quarry.volume.map.BlockMap;
import java.util.concurrent.ExecutorService;

/**
 * The services every thin volume of a manager shares: the block map, the committer, the chunk
 * reader and writer, the volume executor and the sanitize scrubber (platform threads: RocksDB calls pin virtual ones).
 *
 * <p>Immutable and thread-safe.
 *
 * @param blockMap reads of the live block maps
 * @param committer the group-commit pipeline
 * @param writer appends chunk records
 * @param reader reads and verifies chunk records
 * @param executor the volume threads
 * @param scrubber overwrites the records of chunks a sanitize released
 */
public record VolumeContext(BlockMap blockMap, Committer committer, ChunkWriter writer, ChunkReader reader,
                            ExecutorService executor, ChunkScrubber scrubber) {
}
