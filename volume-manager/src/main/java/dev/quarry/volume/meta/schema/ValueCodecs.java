package dev.quarry.volume.meta.schema;

import dev.quarry.volume.chunk.ChunkRecord;
import dev.quarry.volume.chunk.Placement;
import dev.quarry.volume.disk.DiskRecord;
import dev.quarry.volume.disk.DiskState;
import dev.quarry.volume.disk.TierClass;
import dev.quarry.volume.map.MapValue;
import dev.quarry.volume.pool.PoolRecord;
import dev.quarry.volume.segment.SegmentState;
import dev.quarry.volume.snapshot.SnapshotRecord;
import dev.quarry.volume.snapshot.SnapshotState;
import dev.quarry.volume.thin.CloneOrigin;
import dev.quarry.volume.thin.VolumeRecord;
import dev.quarry.volume.thin.VolumeState;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * The value codecs, one per record kind. Every value starts with its format-version byte (1);
 * a new layout gets a new version. Fixed fields are big-endian; strings are a u16 length and
 * UTF-8 bytes, always after the fixed fields. Layouts:
 *
 * <pre>
 * blockmap  : ver | chunkId u64 | hint: diskId u16 | segment u32 | offset u32 | length u16     (21 B, v1)
 *             the same then epoch u64                                                         (29 B, v2)
 *             (a head key's epoch is the write epoch of the mapping, 0 when v1; a kept version's
 *             is the epoch that superseded it: the version is visible to snapshots pinning
 *             [its key's sequence, that epoch))
 * chunk     : ver | codec u8 | placement (12 B as above) | logicalLength u16 | crc32c u32     (20 B)
 * segment   : ver | state u8                                                                    (2 B)
 * pendingfree: ver                                                                              (1 B)
 * system    : ver | value u64                                                                   (9 B)
 * volume    : ver | id u32 | uuid 16 | pool u32 | size u64 | created u64 | tier u8 | state u8 | progress u64 | name (v1)
 *             v1's fields then epoch u64 | origin volume u32 | origin snapshot u64 | name | origin label (v2;
 *             origin volume 0 when not a clone)
 * snapshot  : ver | epoch u64 | size u64 | created u64 | state u8 | name
 * pool      : ver | id u32 | uuid 16 | segmentSize u32 | soft u8 | hard u8 | tier u8 | created u64 | name
 * disk      : ver | id u16 | uuid 16 | pool u32 | tier u8 | state u8 | segmentSize u32 | segmentCount u32 | locator | domain
 * </pre>
 * Stateless and thread-safe.
 */
public final class ValueCodecs {

    private static final int V1 = 1;
    private static final int V2 = 2;
    private static final int MAP_V1_LENGTH = 21;
    private static final int MAP_V2_LENGTH = 29;

    /** A block-map value with epoch 0 (see {@link #mapValueAt}); decodes either layout. */
    public static final Codec<MapValue> MAP_VALUE = new Codec<>() {
        @Override
        public byte[] encode(MapValue v) {
            return mapValueAt(v, 0);
        }

        @Override
        public MapValue decode(byte[] b) {
            checkMapValue(b);
            return new MapValue(Bytes.u64(b, 1), placement(b, 9));
        }
    };

    /** A block-map value carrying {@code epoch}: the short v1 layout when it is 0. */
    public static byte[] mapValueAt(MapValue v, long epoch) {
        byte[] b = new byte[epoch == 0 ? MAP_V1_LENGTH : MAP_V2_LENGTH];
        b[0] = (byte) (epoch == 0 ? V1 : V2);
        Bytes.putU64(b, 1, v.chunkId());
        putPlacement(b, 9, v.hint());
        if (epoch != 0) {
            Bytes.putU64(b, MAP_V1_LENGTH, epoch);
        }
        return b;
    }

    /** The epoch of an encoded block-map value (0 for the v1 layout). */
    public static long epochOf(byte[] b) {
        checkMapValue(b);
        return b[0] == V1 ? 0 : Bytes.u64(b, MAP_V1_LENGTH);
    }

    private static void checkMapValue(byte[] b) {
        if (b != null && b.length == MAP_V2_LENGTH && b[0] == V2) {
            return;
        }
        Bytes.expect(b, V1, MAP_V1_LENGTH, "blockmap value");
    }

    public static final Codec<ChunkRecord> CHUNK = new Codec<>() {
        @Override
        public byte[] encode(ChunkRecord c) {
            byte[] b = new byte[20];
            b[0] = V1;
            b[1] = (byte) c.codec();
            putPlacement(b, 2, c.placement());
            Bytes.putU16(b, 14, c.logicalLength());
            Bytes.putU32(b, 16, c.checksum());
            return b;
        }

        @Override
        public ChunkRecord decode(byte[] b) {
            Bytes.expect(b, V1, 20, "chunk record");
            return new ChunkRecord(placement(b, 2), b[1] & 0xFF, Bytes.u16(b, 14), Bytes.u32(b, 16));
        }
    };

    public static final Codec<SegmentState> SEGMENT = new Codec<>() {
        @Override
        public byte[] encode(SegmentState s) {
            return new byte[] {V1, (byte) s.code()};
        }

        @Override
        public SegmentState decode(byte[] b) {
            Bytes.expect(b, V1, 2, "segment record");
            return SegmentState.of(b[1]);
        }
    };

    /** The value of a {@code pendingfree} entry: the key says everything. */
    public static final byte[] PENDING = {V1};

    public static final Codec<Long> SEQUENCE = new Codec<>() {
        @Override
        public byte[] encode(Long v) {
            byte[] b = new byte[9];
            b[0] = V1;
            Bytes.putU64(b, 1, v);
            return b;
        }

        @Override
        public Long decode(byte[] b) {
            Bytes.expect(b, V1, 9, "system value");
            return Bytes.u64(b, 1);
        }
    };

    public static final Codec<VolumeRecord> VOLUME = new Codec<>() {
        @Override
        public byte[] encode(VolumeRecord v) {
            byte[] name = v.name().getBytes(StandardCharsets.UTF_8);
            byte[] label = v.origin() == null ? new byte[0] : v.origin().label().getBytes(StandardCharsets.UTF_8);
            ByteBuffer b = ByteBuffer.allocate(1 + 4 + 16 + 4 + 8 + 8 + 1 + 1 + 8 + 8 + 4 + 8 + 2 + name.length + 2 + label.length);
            b.put((byte) V2).putInt(v.id());
            putUuid(b, v.uuid());
            b.putInt(v.poolId()).putLong(v.sizeBytes()).putLong(v.createdMillis())
                    .put((byte) (v.tier() == null ? 0 : v.tier().code())).put((byte) v.state().code())
                    .putLong(v.progress()).putLong(v.epoch())
                    .putInt(v.origin() == null ? 0 : v.origin().volumeId())
                    .putLong(v.origin() == null ? 0 : v.origin().snapshotId());
            putString(b, name);
            putString(b, label);
            return b.array();
        }

        @Override
        public VolumeRecord decode(byte[] bytes) {
            boolean v2 = bytes != null && bytes.length > 0 && bytes[0] == V2;
            Bytes.expect(bytes, v2 ? V2 : V1, -1, "volume record");
            ByteBuffer b = ByteBuffer.wrap(bytes, 1, bytes.length - 1);
            int id = b.getInt();
            UUID uuid = uuid(b);
            int pool = b.getInt();
            long size = b.getLong();
            long created = b.getLong();
            int tier = b.get();
            VolumeState state = VolumeState.of(b.get());
            long progress = b.getLong();
            long epoch = v2 ? b.getLong() : 0;
            int originVolume = v2 ? b.getInt() : 0;
            long originSnapshot = v2 ? b.getLong() : 0;
            String name = string(b);
            CloneOrigin origin = v2 && originVolume != 0 ? new CloneOrigin(originVolume, originSnapshot, string(b)) : null;
            return new VolumeRecord(id, uuid, name, size, pool, tier == 0 ? null : TierClass.of(tier),
                    created, state, progress, epoch, origin);
        }
    };

    /** A snapshot's value; its key ({@link SnapshotKey}) holds the volume and snapshot ids. */
    public static byte[] encodeSnapshot(SnapshotRecord r) {
        byte[] name = r.name().getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(1 + 8 + 8 + 8 + 1 + 2 + name.length);
        b.put((byte) V1).putLong(r.epoch()).putLong(r.sizeBytes()).putLong(r.createdMillis()).put((byte) r.state().code());
        putString(b, name);
        return b.array();
    }

    public static SnapshotRecord decodeSnapshot(SnapshotKey key, byte[] bytes) {
        Bytes.expect(bytes, V1, -1, "snapshot record");
        ByteBuffer b = ByteBuffer.wrap(bytes, 1, bytes.length - 1);
        long epoch = b.getLong();
        long size = b.getLong();
        long created = b.getLong();
        SnapshotState state = SnapshotState.of(b.get());
        return new SnapshotRecord(key.volumeId(), key.snapshotId(), string(b), epoch, size, created, state);
    }

    public static final Codec<PoolRecord> POOL = new Codec<>() {
        @Override
        public byte[] encode(PoolRecord p) {
            byte[] name = p.name().getBytes(StandardCharsets.UTF_8);
            ByteBuffer b = ByteBuffer.allocate(1 + 4 + 16 + 4 + 3 + 8 + 2 + name.length);
            b.put((byte) V1).putInt(p.id());
            putUuid(b, p.uuid());
            b.putInt(p.segmentSize()).put((byte) p.softThresholdPercent()).put((byte) p.hardLimitPercent())
                    .put((byte) p.defaultTier().code()).putLong(p.createdMillis());
            putString(b, name);
            return b.array();
        }

        @Override
        public PoolRecord decode(byte[] bytes) {
            Bytes.expect(bytes, V1, -1, "pool record");
            ByteBuffer b = ByteBuffer.wrap(bytes, 1, bytes.length - 1);
            int id = b.getInt();
            UUID uuid = uuid(b);
            int segmentSize = b.getInt();
            int soft = b.get();
            int hard = b.get();
            TierClass tier = TierClass.of(b.get());
            long created = b.getLong();
            return new PoolRecord(id, uuid, string(b), segmentSize, soft, hard, tier, created);
        }
    };

    public static final Codec<DiskRecord> DISK = new Codec<>() {
        @Override
        public byte[] encode(DiskRecord d) {
            byte[] locator = d.locator().getBytes(StandardCharsets.UTF_8);
            byte[] domain = d.failureDomain().getBytes(StandardCharsets.UTF_8);
            ByteBuffer b = ByteBuffer.allocate(1 + 2 + 16 + 4 + 2 + 8 + 4 + locator.length + domain.length);
            b.put((byte) V1).putShort((short) d.id());
            putUuid(b, d.uuid());
            b.putInt(d.poolId()).put((byte) d.tier().code()).put((byte) d.state().code())
                    .putInt(d.segmentSize()).putInt(d.segmentCount());
            putString(b, locator);
            putString(b, domain);
            return b.array();
        }

        @Override
        public DiskRecord decode(byte[] bytes) {
            Bytes.expect(bytes, V1, -1, "disk record");
            ByteBuffer b = ByteBuffer.wrap(bytes, 1, bytes.length - 1);
            int id = b.getShort() & 0xFFFF;
            UUID uuid = uuid(b);
            int pool = b.getInt();
            TierClass tier = TierClass.of(b.get());
            DiskState state = DiskState.of(b.get());
            int segmentSize = b.getInt();
            int segmentCount = b.getInt();
            String locator = string(b);
            return new DiskRecord(id, uuid, pool, locator, tier, string(b), state, segmentSize, segmentCount);
        }
    };

    private ValueCodecs() {
    }

    private static void putPlacement(byte[] b, int at, Placement p) {
        Bytes.putU16(b, at, p.diskId());
        Bytes.putU32(b, at + 2, p.segment());
        Bytes.putU32(b, at + 6, p.offset());
        Bytes.putU16(b, at + 10, p.length());
    }

    private static Placement placement(byte[] b, int at) {
        return new Placement(Bytes.u16(b, at), Bytes.u32(b, at + 2), Bytes.u32(b, at + 6), Bytes.u16(b, at + 10));
    }

    private static void putUuid(ByteBuffer b, UUID uuid) {
        b.putLong(uuid.getMostSignificantBits()).putLong(uuid.getLeastSignificantBits());
    }

    private static UUID uuid(ByteBuffer b) {
        return new UUID(b.getLong(), b.getLong());
    }

    private static void putString(ByteBuffer b, byte[] utf8) {
        b.putShort((short) utf8.length).put(utf8);
    }

    private static String string(ByteBuffer b) {
        int length = b.getShort() & 0xFFFF;
        byte[] utf8 = new byte[length];
        b.get(utf8);
        return new String(utf8, StandardCharsets.UTF_8);
    }
}
