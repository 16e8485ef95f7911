package dev.quarry.volume.meta.schema;

import dev.quarry.volume.chunk.ChunkRecord;
import dev.quarry.volume.disk.DiskRecord;
import dev.quarry.volume.map.MapValue;
import dev.quarry.volume.meta.schema.ColumnFamilyDefinition.Profile;
import dev.quarry.volume.pool.PoolRecord;
import dev.quarry.volume.segment.SegmentState;
import dev.quarry.volume.thin.VolumeRecord;
import java.util.List;

/**
 * Every column family of the metadata store (DESIGN "The chunk store"), declared once. The
 * counter families ({@code refcount}, {@code segmentlive}, {@code volumeusage},
 * {@code snapshotusage}) use RocksDB's
 * uint64add merge operator so that a write adjusts them without reading them; {@code pendingfree}
 * lists chunks whose count was decremented, for the reaper, in the same batch as the decrement.
 *
 * <p>Stateless and thread-safe.
 */
public final class Schema {

    public static final ColumnFamilyDefinition<IdKey, VolumeRecord> VOLUME =
            new ColumnFamilyDefinition<>("volume", IdKey.CODEC, ValueCodecs.VOLUME, Profile.SMALL);
    public static final ColumnFamilyDefinition<BlockMapKey, MapValue> BLOCK_MAP =
            new ColumnFamilyDefinition<>("blockmap", BlockMapKey.CODEC, ValueCodecs.MAP_VALUE, Profile.BLOCK_MAP);
    public static final ColumnFamilyDefinition<ChunkKey, ChunkRecord> CHUNK =
            new ColumnFamilyDefinition<>("chunk", ChunkKey.CODEC, ValueCodecs.CHUNK, Profile.LOOKUP);
    public static final ColumnFamilyDefinition<ChunkKey, Long> REFCOUNT =
            new ColumnFamilyDefinition<>("refcount", ChunkKey.CODEC, Counters.CODEC, Profile.COUNTER);
    public static final ColumnFamilyDefinition<ChunkKey, byte[]> PENDING_FREE =
            new ColumnFamilyDefinition<>("pendingfree", ChunkKey.CODEC, Raw.CODEC, Profile.SMALL);
    public static final ColumnFamilyDefinition<SegmentKey, SegmentState> SEGMENT =
            new ColumnFamilyDefinition<>("segment", SegmentKey.CODEC, ValueCodecs.SEGMENT, Profile.SMALL);
    public static final ColumnFamilyDefinition<SegmentKey, Long> SEGMENT_LIVE =
            new ColumnFamilyDefinition<>("segmentlive", SegmentKey.CODEC, Counters.CODEC, Profile.COUNTER);
    public static final ColumnFamilyDefinition<IdKey, Long> VOLUME_USAGE =
            new ColumnFamilyDefinition<>("volumeusage", IdKey.CODEC, Counters.CODEC, Profile.COUNTER);
    public static final ColumnFamilyDefinition<IdKey, PoolRecord> POOL =
            new ColumnFamilyDefinition<>("pool", IdKey.CODEC, ValueCodecs.POOL, Profile.SMALL);
    public static final ColumnFamilyDefinition<IdKey, DiskRecord> DISK =
            new ColumnFamilyDefinition<>("disk", IdKey.CODEC, ValueCodecs.DISK, Profile.SMALL);
    /** Snapshot definitions; values through {@link ValueCodecs#decodeSnapshot} (they need their key). */
    public static final ColumnFamilyDefinition<SnapshotKey, byte[]> SNAPSHOT =
            new ColumnFamilyDefinition<>("snapshot", SnapshotKey.CODEC, Raw.CODEC, Profile.SMALL);
    /** Per volume, how many block-map versions are kept only for its snapshots. */
    public static final ColumnFamilyDefinition<IdKey, Long> SNAPSHOT_USAGE =
            new ColumnFamilyDefinition<>("snapshotusage", IdKey.CODEC, Counters.CODEC, Profile.COUNTER);
    public static final ColumnFamilyDefinition<SystemKey, Long> SYSTEM =
            new ColumnFamilyDefinition<>("system", SystemKey.CODEC, ValueCodecs.SEQUENCE, Profile.SMALL);

    /** All families, in the order they are opened (after RocksDB's {@code default}). */
    public static final List<ColumnFamilyDefinition<?, ?>> ALL = List.of(VOLUME, BLOCK_MAP, CHUNK, REFCOUNT,
            PENDING_FREE, SEGMENT, SEGMENT_LIVE, VOLUME_USAGE, POOL, DISK, SYSTEM, SNAPSHOT, SNAPSHOT_USAGE);

    private Schema() {
    }

    /** The identity codec, for values whose key says everything. */
    public static final class Raw {
        public static final Codec<byte[]> CODEC = new Codec<>() {
            @Override
            public byte[] encode(byte[] value) {
                return value;
            }

            @Override
            public byte[] decode(byte[] bytes) {
                return bytes;
            }
        };

        private Raw() {
        }
    }
}
