package dev.quarry.volume.fsck;

import static dev.quarry.volume.VolumeTesting.await;
import static dev.quarry.volume.VolumeTesting.buffer;
import static dev.quarry.volume.VolumeTesting.failure;
import static dev.quarry.volume.VolumeTesting.pattern;
import static org.assertj.core.api.Assertions.assertThat;

import dev.quarry.block.SenseCode;
import dev.quarry.block.WriteOptions;
import dev.quarry.volume.TestManagers;
import dev.quarry.volume.VolumeManager;
import dev.quarry.volume.chunk.ChunkRecord;
import dev.quarry.volume.chunk.Placement;
import dev.quarry.volume.disk.DiskLabel;
import dev.quarry.volume.fsck.FsckReport.Kind;
import dev.quarry.volume.map.MapValue;
import dev.quarry.volume.meta.schema.BlockMapKey;
import dev.quarry.volume.meta.schema.ChunkKey;
import dev.quarry.volume.meta.schema.IdKey;
import dev.quarry.volume.meta.schema.Schema;
import dev.quarry.volume.meta.schema.SegmentKey;
import dev.quarry.volume.meta.store.Batch;
import dev.quarry.volume.meta.store.MetadataStore;
import dev.quarry.volume.thin.ThinVolume;
import dev.quarry.volume.thin.VolumeSpec;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Corrupts metadata and chunk records on purpose and expects fsck to say exactly what and where. */
@Timeout(60)
class FsckTest {

    @TempDir
    Path dir;

    private VolumeManager manager;
    private ThinVolume volume;
    private MetadataStore store;
    private int volumeId;

    @BeforeEach
    void open() throws Exception {
        manager = TestManagers.withPool(dir, 1, 16L << 20);
        volumeId = manager.volumes().createVolume(new VolumeSpec("v", 8L << 20, "p", null)).id();
        volume = manager.volumes().open("v");
        for (int b = 0; b < 16; b++) {
            await(volume.write(b * 8L, buffer(pattern(4096, b)), WriteOptions.CACHED));
        }
        await(volume.flush());
        manager.collectGarbage();
        store = manager.store();
        assertThat(manager.fsck().problems()).isEmpty();
    }

    @AfterEach
    void close() {
        manager.close();
    }

    private MapValue mapping(long block) {
        return store.get(Schema.BLOCK_MAP, new BlockMapKey(volumeId, block, BlockMapKey.HEAD));
    }

    private void write(java.util.function.Consumer<Batch> change) {
        try (Batch batch = store.batch()) {
            change.accept(batch);
            store.write(batch, true);
        }
    }

    @Test
    void shouldReportAMapEntryWhoseChunkRecordIsGone() {
        long chunk = mapping(3).chunkId();
        write(b -> b.delete(Schema.CHUNK, new ChunkKey(chunk)));
        FsckReport report = manager.fsck();
        assertThat(report.of(Kind.MAP_TO_MISSING_CHUNK)).singleElement()
                .satisfies(p -> assertThat(p.where()).isEqualTo("volume " + volumeId + " block 3"));
        assertThat(report.of(Kind.SEGMENT_LIVE_MISMATCH)).hasSize(1);
    }

    @Test
    void shouldReportAReferenceCountWithoutChunk() {
        write(b -> b.add(Schema.REFCOUNT, new ChunkKey(888_888), 1));
        assertThat(manager.fsck().of(Kind.ORPHAN_REFCOUNT)).singleElement()
                .satisfies(p -> assertThat(p.where()).isEqualTo("chunk 888888"));
    }

    @Test
    void shouldReportAWrongReferenceCount() {
        long chunk = mapping(5).chunkId();
        write(b -> b.add(Schema.REFCOUNT, new ChunkKey(chunk), 2));
        assertThat(manager.fsck().of(Kind.REFCOUNT_MISMATCH)).singleElement()
                .satisfies(p -> assertThat(p.detail()).isEqualTo("count 3, map references 1"));
    }

    @Test
    void shouldReportWrongSegmentAndVolumeCounters() {
        Placement p = mapping(1).hint();
        write(b -> b.add(Schema.SEGMENT_LIVE, new SegmentKey(p.diskId(), p.segment()), 100));
        write(b -> b.add(Schema.VOLUME_USAGE, new IdKey(volumeId), -1));
        FsckReport report = manager.fsck();
        assertThat(report.of(Kind.SEGMENT_LIVE_MISMATCH)).singleElement()
                .satisfies(x -> assertThat(x.where()).isEqualTo("disk " + p.diskId() + " segment " + p.segment()));
        assertThat(report.of(Kind.VOLUME_USAGE_MISMATCH)).singleElement()
                .satisfies(x -> assertThat(x.detail()).isEqualTo("usage counter 15, mapped blocks 16"));
    }

    @Test
    void shouldReportLeakedChunksAndMapsOfUnknownVolumes() {
        ChunkRecord record = store.get(Schema.CHUNK, new ChunkKey(mapping(0).chunkId()));
        write(b -> b.put(Schema.CHUNK, new ChunkKey(999_999), record).add(Schema.REFCOUNT, new ChunkKey(999_999), -1));
        write(b -> b.put(Schema.CHUNK, new ChunkKey(999_998), record));
        write(b -> b.put(Schema.BLOCK_MAP, new BlockMapKey(4242, 0, BlockMapKey.HEAD), mapping(0)));
        FsckReport report = manager.fsck();
        assertThat(report.of(Kind.LEAKED_CHUNK)).singleElement()
                .satisfies(x -> assertThat(x.where()).isEqualTo("chunk 999999"));
        assertThat(report.of(Kind.REFCOUNT_MISMATCH)).singleElement()
                .satisfies(x -> assertThat(x.toString()).isEqualTo("REFCOUNT_MISMATCH at chunk 999998: count 1, map references 0"));
        assertThat(report.of(Kind.MAP_ENTRY_OF_UNKNOWN_VOLUME)).singleElement()
                .satisfies(x -> assertThat(x.where()).isEqualTo("volume 4242 block 0"));
    }

    @Test
    void shouldReportACorruptChunkOnDiskAndAnswerMediumErrorForThatBlockOnly() throws Exception {
        Placement p = mapping(7).hint();
        long position = DiskLabel.DATA_START + (long) p.segment() * TestManagers.SEGMENT + p.offset() + 100;
        try (FileChannel disk = FileChannel.open(dir.resolve("disk0.img"), StandardOpenOption.WRITE)) {
            disk.write(ByteBuffer.wrap(new byte[] {1, 2, 3, 4}), position);
            disk.force(true);
        }
        FsckReport report = manager.fsck();
        assertThat(report.of(Kind.CHUNK_HEADER_MISMATCH)).singleElement()
                .satisfies(x -> assertThat(x.detail()).isEqualTo("payload fails its CRC32C"));
        var e = failure(volume.read(7 * 8, 8));
        assertThat(e).isNotNull();
        assertThat(e.sense()).isEqualTo(SenseCode.UNRECOVERED_READ_ERROR);
        assertThat(e.information()).isEqualTo(7 * 8);
        assertThat(failure(volume.read(6 * 8, 8))).isNull();
    }
}
