package dev.quarry.volume.commit;

import dev.quarry.volume.chunk.ChunkRecord;
import dev.quarry.volume.disk.BackendDisk;
import dev.quarry.volume.map.MapValue;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * One logical change of one volume's block map, applied all or nothing (it always lands in a
 * single WriteBatch, which is what makes every write atomic up to the atomic write limit): new
 * chunk records, the blocks they map, blocks unmapped, hints fixed. The committer works out which
 * chunks lose a reference, so the write path never reads RocksDB.
 *
 * <p>Not thread-safe while built; immutable once submitted.
 */
public final class Mutation {

    /**
     * A change to one block.
     *
     * @param block the 4 KiB block
     * @param value its new mapping, or null to unmap it
     * @param hintOnly only the placement hint of the same chunk changes
     */
    public record BlockOp(long block, MapValue value, boolean hintOnly) {
    }

    /**
     * A chunk record created by this mutation.
     *
     * @param chunkId its id
     * @param record its record
     */
    public record NewChunk(long chunkId, ChunkRecord record) {
    }

    private final int volumeId;
    private final boolean durable;
    private final Retention retention;
    private final List<BlockOp> ops = new ArrayList<>();
    private final List<NewChunk> chunks = new ArrayList<>();
    private final Set<BackendDisk> disks = new LinkedHashSet<>();
    private final CompletableFuture<Void> committed = new CompletableFuture<>();
    private long sequence;
    private int liveBytes;

    /** A mutation of {@code volumeId}; {@code durable} asks the committer to commit at once (FUA). */
    public Mutation(int volumeId, boolean durable) {
        this(volumeId, durable, Retention.NONE);
    }

    /** A mutation of a volume whose superseded mappings are kept as {@code retention} says. */
    public Mutation(int volumeId, boolean durable, Retention retention) {
        this.volumeId = volumeId;
        this.durable = durable;
        this.retention = retention;
    }

    public Mutation map(long block, MapValue value) {
        ops.add(new BlockOp(block, value, false));
        return this;
    }

    public Mutation unmap(long block) {
        ops.add(new BlockOp(block, null, false));
        return this;
    }

    public Mutation fixHint(long block, MapValue value) {
        ops.add(new BlockOp(block, value, true));
        return this;
    }

    /** A new chunk whose record was written to {@code disk}, which the committer syncs first. */
    public Mutation chunk(long chunkId, ChunkRecord record, BackendDisk disk) {
        chunks.add(new NewChunk(chunkId, record));
        disks.add(disk);
        liveBytes += record.placement().length();
        return this;
    }

    public int volumeId() {
        return volumeId;
    }

    public boolean durable() {
        return durable;
    }

    public Retention retention() {
        return retention;
    }

    public List<BlockOp> ops() {
        return ops;
    }

    public List<NewChunk> chunks() {
        return chunks;
    }

    public Set<BackendDisk> disks() {
        return disks;
    }

    /** Record bytes of the new chunks, counted as used in the pool. */
    public int liveBytes() {
        return liveBytes;
    }

    /** Completes when the mutation is durable; fails when it was dropped. */
    public CompletableFuture<Void> committed() {
        return committed;
    }

    public long sequence() {
        return sequence;
    }

    void sequence(long value) {
        this.sequence = value;
    }

    public int size() {
        return ops.size() + chunks.size();
    }
}
