package dev.quarry.iscsi.scsi;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quarry.block.testing.MemoryBlockVolume;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CapacityAndCacheTest {

    @TempDir
    Path directory;
    private ScsiHarness harness;
    private final AtomicInteger flushes = new AtomicInteger();

    @AfterEach
    void tearDown() {
        harness.close();
    }

    private Initiator host() {
        harness = new ScsiHarness(new ForwardingVolume(new MemoryBlockVolume(ScsiHarness.SIZE), false, true, true) {
            @Override
            public CompletableFuture<Void> flush() {
                flushes.incrementAndGet();
                return super.flush();
            }
        }, directory);
        return harness.initiator();
    }

    @Test
    void shouldReportCapacityAndBlockLength() {
        Initiator host = host();
        Reply ten = host.send(Cdbs.readCapacity10());
        assertThat(ten.u32(0)).isEqualTo(ScsiHarness.BLOCKS - 1);
        assertThat(ten.u32(4)).isEqualTo(512);
        Reply sixteen = host.send(Cdbs.readCapacity16(32));
        assertThat(sixteen.u64(0)).isEqualTo(ScsiHarness.BLOCKS - 1);
        assertThat(sixteen.u32(8)).isEqualTo(512);
        assertThat(sixteen.u8(12)).as("no protection").isZero();
        assertThat(sixteen.u8(13) & 0x0F).as("4 KiB physical blocks").isEqualTo(3);
        assertThat(sixteen.u8(14) & 0xC0).as("LBPME and LBPRZ").isEqualTo(0xC0);
    }

    @Test
    void shouldCutReadCapacity16ToAllocationLength() {
        Initiator host = host();
        for (int allocation = 0; allocation < 16; allocation++) {
            Reply reply = host.send(Cdbs.readCapacity16(allocation));
            assertThat(reply.good()).isTrue();
            assertThat(reply.data()).hasSize(allocation);
        }
    }

    @Test
    void shouldRefuseReadCapacity10LbaWithoutPmi() {
        byte[] cdb = Cdbs.readCapacity10();
        cdb[5] = 1;
        assertThat(host().send(cdb).code()).isEqualTo("05/24/00");
    }

    @Test
    void shouldFlushOnSynchronizeCacheWhateverTheRange() {
        Initiator host = host();
        int before = flushes.get();
        assertThat(host.send(Cdbs.synchronizeCache10(0, 0, false)).good()).isTrue();
        assertThat(host.send(Cdbs.rw16(0x91, 100, 10, 0)).good()).isTrue();
        assertThat(flushes.get() - before).isEqualTo(2);
        assertThat(host.send(Cdbs.synchronizeCache10(ScsiHarness.BLOCKS, 1, false)).code()).isEqualTo("05/21/00");
        assertThat(host.send(Cdbs.synchronizeCache10(0, 1, true)).good()).isTrue();
    }

    @Test
    void shouldAnswerPrefetchWithGoodAndCheckTheRange() {
        Initiator host = host();
        assertThat(host.send(Cdbs.prefetch10(0, 1, false)).status()).isEqualTo(ScsiStatus.GOOD);
        assertThat(host.send(Cdbs.prefetch10(0, 0, true)).status()).isEqualTo(ScsiStatus.GOOD);
        assertThat(host.send(Cdbs.rw16(0x90, ScsiHarness.BLOCKS - 1, 2, 0)).code()).isEqualTo("05/21/00");
        assertThat(host.send(Cdbs.prefetch10(ScsiHarness.BLOCKS + 1, 0, false)).code()).isEqualTo("05/21/00");
    }

    @Test
    void shouldRaiseCapacityChangedAttentionAndAsyncEventWhenTheVolumeGrows() {
        Initiator host = host();
        harness.memory().grow(ScsiHarness.SIZE * 2);
        Reply attention = host.send(Cdbs.testUnitReady());
        assertThat(attention.code()).isEqualTo("06/2A/09");
        assertThat(host.asyncEvents).hasSize(1);
        assertThat(host.send(Cdbs.readCapacity10()).u32(0)).isEqualTo(2 * ScsiHarness.BLOCKS - 1);
    }

    @Test
    void shouldRaiseSoftThresholdAttention() {
        Initiator host = host();
        harness.memory().signal(dev.quarry.block.VolumeEvent.SOFT_THRESHOLD_REACHED);
        assertThat(host.send(Cdbs.read10(0, 1)).code()).isEqualTo("06/38/07");
        assertThat(host.send(Cdbs.read10(0, 1)).good()).isTrue();
    }

    @Test
    void shouldWriteAtomicallyWithinTheLimits() {
        Initiator host = host();
        byte[] data = ReadWriteTest.pattern(4, 9);
        assertThat(host.send(Cdbs.writeAtomic16(8, 4, 0), data).good()).isTrue();
        assertThat(host.send(Cdbs.read10(8, 4)).data()).isEqualTo(data);
        assertThat(host.send(Cdbs.writeAtomic16(0, 0, 0)).good()).isTrue();
        assertThat(host.send(Cdbs.writeAtomic16(ScsiHarness.BLOCKS - 1, 2, 0), new byte[1024]).code()).isEqualTo("05/21/00");
        assertThat(host.send(Cdbs.writeAtomic16(0, 1, 0x20), new byte[512]).code()).isEqualTo("05/24/00");
        assertThat(host.send(Cdbs.writeAtomic16(0, 4, 0), new byte[512]).code()).isEqualTo("05/24/00");
    }

    @Test
    void shouldNotOfferWriteAtomicWhenTheVolumeCannot() {
        harness = new ScsiHarness(new ForwardingVolume(new MemoryBlockVolume(ScsiHarness.SIZE), false, false, false), directory);
        Initiator host = harness.initiator();
        assertThat(host.send(Cdbs.writeAtomic16(0, 1, 0), new byte[512]).code()).isEqualTo("05/20/00");
        assertThat(host.send(Cdbs.inquiry(true, 0xB0, 64)).u32(44)).isZero();
    }
}
