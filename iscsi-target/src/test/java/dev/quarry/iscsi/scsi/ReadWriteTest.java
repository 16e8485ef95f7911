package dev.quarry.iscsi.scsi;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quarry.block.BlockIoException;
import dev.quarry.block.WriteOptions;
import dev.quarry.block.testing.MemoryBlockVolume;
import io.netty.buffer.ByteBuf;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ReadWriteTest {

    private static final long BLOCKS = ScsiHarness.BLOCKS;

    @TempDir
    Path directory;
    private ScsiHarness harness;

    @AfterEach
    void tearDown() {
        harness.close();
    }

    private Initiator host() {
        if (harness == null) {
            harness = ScsiHarness.thin(directory);
        }
        return harness.initiator();
    }

    static byte[] pattern(int blocks, int seed) {
        byte[] data = new byte[blocks * 512];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) (seed + i * 7);
        }
        return data;
    }

    @Test
    void shouldReadBackWhatWasWrittenWithEveryCdbSize() {
        Initiator host = host();
        byte[] data = pattern(8, 1);
        assertThat(host.send(Cdbs.write10(100, 8), data).good()).isTrue();
        assertThat(host.send(Cdbs.read10(100, 8)).data()).isEqualTo(data);
        assertThat(host.send(Cdbs.rw12(0xA8, 100, 8, 0)).data()).isEqualTo(data);
        assertThat(host.send(Cdbs.read16(100, 8)).data()).isEqualTo(data);
        assertThat(host.send(Cdbs.read6(100, 8)).data()).isEqualTo(data);
        byte[] other = pattern(2, 9);
        assertThat(host.send(Cdbs.write6(200, 2), other).good()).isTrue();
        assertThat(host.send(Cdbs.rw16(0x8A, 300, 2, 0), other).good()).isTrue();
        assertThat(host.send(Cdbs.rw12(0xAA, 400, 2, 0), other).good()).isTrue();
        assertThat(host.send(Cdbs.read16(200, 2)).data()).isEqualTo(other);
        assertThat(host.send(Cdbs.read16(300, 2)).data()).isEqualTo(other);
        assertThat(host.send(Cdbs.read16(400, 2)).data()).isEqualTo(other);
    }

    @Test
    void shouldReadNeverWrittenBlocksAsZeroes() {
        assertThat(host().send(Cdbs.read16(5000, 4)).data()).isEqualTo(new byte[4 * 512]);
    }

    @Test
    void shouldReadSixByteTransferLengthZeroAs256Blocks() {
        Reply reply = host().send(Cdbs.read6(0, 0));
        assertThat(reply.data()).hasSize(256 * 512);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 255, 256})
    void shouldReturnLbaOutOfRangeWhenReadPassesCapacity(int blocks) {
        Initiator host = host();
        assertThat(host.send(Cdbs.read16(BLOCKS + 1 - blocks, blocks)).code()).isEqualTo("05/21/00");
        assertThat(host.send(Cdbs.read10(BLOCKS + 1 - blocks, blocks)).code()).isEqualTo("05/21/00");
        assertThat(host.send(Cdbs.read16(0x8000_0000_0000_0000L, blocks)).code()).isEqualTo("05/21/00");
        assertThat(host.send(Cdbs.read16(-1, blocks)).code()).isEqualTo("05/21/00");
        assertThat(host.send(Cdbs.read16(BLOCKS - blocks, blocks)).good()).isTrue();
    }

    @Test
    void shouldReportTheOffendingLbaAsInformation() {
        Reply reply = host().send(Cdbs.read10(BLOCKS, 1));
        assertThat(reply.information()).isEqualTo(BLOCKS);
    }

    @Test
    void shouldTreatZeroTransferLengthAsNoDataButStillCheckTheLba() {
        Initiator host = host();
        Reply zero = host.send(Cdbs.read10(0, 0));
        assertThat(zero.good()).isTrue();
        assertThat(zero.data()).isEmpty();
        assertThat(host.send(Cdbs.write16(0, 0)).good()).isTrue();
        assertThat(host.send(Cdbs.read10(BLOCKS + 1, 0)).code()).isEqualTo("05/21/00");
        assertThat(host.send(Cdbs.write16(BLOCKS + 1, 0)).code()).isEqualTo("05/21/00");
        assertThat(host.send(Cdbs.write16(-1, 0)).code()).isEqualTo("05/21/00");
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 4, 5, 6, 7})
    void shouldRefuseProtectionInformationFields(int protect) {
        Initiator host = host();
        assertThat(host.send(Cdbs.rw10(0x28, 0, 1, protect << 5)).code()).isEqualTo("05/24/00");
        assertThat(host.send(Cdbs.rw16(0x8A, 0, 1, protect << 5), new byte[512]).code()).isEqualTo("05/24/00");
    }

    @Test
    void shouldAcceptDpoFuaAndFuaNv() {
        Initiator host = host();
        assertThat(host.send(Cdbs.rw10(0x28, 0, 1, 0x18)).good()).isTrue();
        assertThat(host.send(Cdbs.rw10(0x2A, 0, 1, 0x1A), new byte[512]).good()).isTrue();
        assertThat(host.send(Cdbs.rw16(0x8A, 0, 1, 0x08), new byte[512]).good()).isTrue();
    }

    @Test
    void shouldRefuseTransferLongerThanTheBlockLimitsAllow() {
        harness = new ScsiHarness(new MemoryBlockVolume(64L << 20), directory);
        Initiator host = harness.initiator();
        assertThat(host.send(Cdbs.read16(0, 65537)).code()).isEqualTo("05/24/00");
        assertThat(host.send(Cdbs.read16(0, 65536)).data()).hasSize(32 << 20);
    }

    @Test
    void shouldWriteOnlyTheBlocksReceivedWhenDataOutIsShort() {
        Initiator host = host();
        byte[] old = pattern(2, 'a');
        host.send(Cdbs.write10(0, 2), old);
        byte[] fresh = pattern(1, 'b');
        Reply reply = host.send(Cdbs.write10(0, 2), fresh);
        assertThat(reply.good()).isTrue();
        assertThat(reply.dataOutLength()).isEqualTo(1024);
        byte[] read = host.send(Cdbs.read10(0, 2)).data();
        assertThat(Arrays.copyOfRange(read, 0, 512)).isEqualTo(fresh);
        assertThat(Arrays.copyOfRange(read, 512, 1024)).isEqualTo(Arrays.copyOfRange(old, 512, 1024));
    }

    @Test
    void shouldMergeAPartialLastBlockAndNeverWriteBytesNotReceived() {
        Initiator host = host();
        byte[] old = pattern(1, 'a');
        host.send(Cdbs.write10(7, 1), old);
        byte[] partial = Arrays.copyOf(pattern(1, 'b'), 200);
        assertThat(host.send(Cdbs.write10(7, 1), partial).good()).isTrue();
        byte[] read = host.send(Cdbs.read10(7, 1)).data();
        assertThat(Arrays.copyOfRange(read, 0, 200)).isEqualTo(partial);
        assertThat(Arrays.copyOfRange(read, 200, 512)).isEqualTo(Arrays.copyOfRange(old, 200, 512));
    }

    @Test
    void shouldWriteNothingWhenNoDataOutCame() {
        Initiator host = host();
        host.send(Cdbs.write10(9, 1), pattern(1, 'a'));
        Reply reply = host.send(Cdbs.write10(9, 1), null, 0);
        assertThat(reply.good()).isTrue();
        assertThat(reply.dataOutLength()).isEqualTo(512);
        assertThat(host.send(Cdbs.read10(9, 1)).data()).isEqualTo(pattern(1, 'a'));
    }

    @Test
    void shouldIgnoreDataOutBeyondTheTransferLength() {
        Initiator host = host();
        byte[] data = pattern(2, 'c');
        Reply reply = host.send(Cdbs.write10(20, 1), data);
        assertThat(reply.good()).isTrue();
        assertThat(reply.dataOutLength()).isEqualTo(512);
        assertThat(host.send(Cdbs.read10(21, 1)).data()).isEqualTo(new byte[512]);
    }

    @Test
    void shouldRefuseWritesToReadOnlyVolumeWithDataProtect() {
        harness = new ScsiHarness(new MemoryBlockVolume(ScsiHarness.SIZE, true), directory);
        Initiator host = harness.initiator();
        assertThat(host.send(Cdbs.write10(0, 1), new byte[512]).code()).isEqualTo("07/27/00");
        assertThat(host.send(Cdbs.read10(0, 1)).good()).isTrue();
    }

    @Test
    void shouldPassForceUnitAccessToTheVolume() {
        List<WriteOptions> seen = new CopyOnWriteArrayList<>();
        harness = new ScsiHarness(new ForwardingVolume(new MemoryBlockVolume(ScsiHarness.SIZE), false, true, true) {
            @Override
            public CompletableFuture<Void> write(long lba, ByteBuf data, WriteOptions options) {
                seen.add(options);
                return super.write(lba, data, options);
            }
        }, directory);
        Initiator host = harness.initiator();
        host.send(Cdbs.write10(0, 1), new byte[512]);
        host.send(Cdbs.rw10(0x2A, 0, 1, 0x08), new byte[512]);
        assertThat(seen).extracting(WriteOptions::forceUnitAccess).containsExactly(false, true);
    }

    @Test
    void shouldReportMediumErrorWithTheFailingLba() {
        harness = new ScsiHarness(new ForwardingVolume(new MemoryBlockVolume(ScsiHarness.SIZE), false, false, true) {
            @Override
            public CompletableFuture<ByteBuf> read(long lba, int blocks) {
                return CompletableFuture.failedFuture(BlockIoException.unrecoveredRead(lba + 3, "bad chunk", null));
            }
        }, directory);
        Reply reply = harness.initiator().send(Cdbs.read10(40, 8));
        assertThat(reply.code()).isEqualTo("03/11/00");
        assertThat(reply.information()).isEqualTo(43);
    }

    @Test
    void shouldAnswerUnexpectedVolumeFailureWithInternalTargetFailure() {
        harness = new ScsiHarness(new ForwardingVolume(new MemoryBlockVolume(ScsiHarness.SIZE), false, false, true) {
            @Override
            public CompletableFuture<ByteBuf> read(long lba, int blocks) {
                throw new IllegalStateException("bug in the volume");
            }
        }, directory);
        assertThat(harness.initiator().send(Cdbs.read10(0, 1)).code()).isEqualTo("04/44/00");
    }

    @Test
    void shouldReportSpaceAllocationFailedFromTheVolume() {
        harness = new ScsiHarness(new ForwardingVolume(new MemoryBlockVolume(ScsiHarness.SIZE), false, false, true) {
            @Override
            public CompletableFuture<Void> write(long lba, ByteBuf data, WriteOptions options) {
                data.release();
                return CompletableFuture.failedFuture(new BlockIoException(dev.quarry.block.SenseCode.SPACE_ALLOCATION_FAILED,
                        "pool full"));
            }
        }, directory);
        assertThat(harness.initiator().send(Cdbs.write10(0, 1), new byte[512]).code()).isEqualTo("07/27/07");
    }

    @Test
    void shouldSeeWritesOfOneNexusFromAnother() {
        Initiator a = host();
        Initiator b = harness.initiator(ScsiHarness.OTHER_INITIATOR, 5);
        byte[] data = pattern(4, 42);
        a.send(Cdbs.write16(64, 4), data);
        assertThat(b.send(Cdbs.read16(64, 4)).data()).isEqualTo(data);
    }
}
