package dev.quarry.iscsi.scsi;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quarry.block.testing.MemoryBlockVolume;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WriteSameTest {

    @TempDir
    Path directory;
    private ScsiHarness harness;

    @AfterEach
    void tearDown() {
        harness.close();
    }

    private Initiator thin() {
        harness = ScsiHarness.thin(directory);
        return harness.initiator();
    }

    private Initiator thick() {
        harness = new ScsiHarness(new ForwardingVolume(new MemoryBlockVolume(ScsiHarness.SIZE), true, false, true), directory);
        return harness.initiator();
    }

    @Test
    void shouldWriteTheBlockToEveryBlockOfTheRange() {
        Initiator host = thin();
        byte[] block = ReadWriteTest.pattern(1, 77);
        assertThat(host.send(Cdbs.writeSame10(40, 3, 0), block).good()).isTrue();
        byte[] read = host.send(Cdbs.read10(40, 3)).data();
        for (int i = 0; i < 3; i++) {
            assertThat(Arrays.copyOfRange(read, i * 512, i * 512 + 512)).isEqualTo(block);
        }
        assertThat(host.send(Cdbs.writeSame16(1000, 2, 0), block).good()).isTrue();
        assertThat(Arrays.copyOfRange(host.send(Cdbs.read10(1001, 1)).data(), 0, 512)).isEqualTo(block);
    }

    @Test
    void shouldUnmapWithUnmapBitSoBlocksReadAsZeroes() {
        Initiator host = thin();
        host.send(Cdbs.write10(0, 16), ReadWriteTest.pattern(16, 1));
        assertThat(host.send(Cdbs.writeSame16(0, 16, 0x08), new byte[512]).good()).isTrue();
        assertThat(host.send(Cdbs.read10(0, 16)).data()).isEqualTo(new byte[16 * 512]);
        assertThat(harness.memory().allocatedPages()).isZero();
    }

    @Test
    void shouldDeallocateWithUnmapBitWhateverTheDataOutBlockHolds() {
        Initiator host = thin();
        byte[] ones = new byte[4 * 512];
        Arrays.fill(ones, (byte) 0xFF);
        host.send(Cdbs.write10(ScsiHarness.BLOCKS - 4, 4), ones);
        Reply reply = host.send(Cdbs.writeSame10(ScsiHarness.BLOCKS - 4, 0, 0x08), Arrays.copyOf(ones, 512));
        assertThat(reply.good()).isTrue();
        assertThat(reply.dataOutLength()).isEqualTo(512);
        assertThat(host.send(Cdbs.read10(ScsiHarness.BLOCKS - 4, 4)).data()).isEqualTo(new byte[2048]);
    }

    @Test
    void shouldWriteZeroesWithoutDataOutWhenNdob() {
        Initiator host = thin();
        host.send(Cdbs.write10(0, 2), ReadWriteTest.pattern(2, 1));
        Reply reply = host.send(Cdbs.writeSame16(0, 2, 0x01));
        assertThat(reply.good()).isTrue();
        assertThat(reply.dataOutLength()).isZero();
        assertThat(host.send(Cdbs.read10(0, 2)).data()).isEqualTo(new byte[1024]);
    }

    @Test
    void shouldWriteToTheEndWhenNumberOfBlocksIsZero() {
        Initiator host = thin();
        host.send(Cdbs.write10(ScsiHarness.BLOCKS - 4, 4), ReadWriteTest.pattern(4, 1));
        assertThat(host.send(Cdbs.writeSame10(ScsiHarness.BLOCKS - 4, 0, 0x08), new byte[512]).good()).isTrue();
        assertThat(host.send(Cdbs.read10(ScsiHarness.BLOCKS - 4, 4)).data()).isEqualTo(new byte[2048]);
    }

    @Test
    void shouldRefuseAnchorAndUnmapOnThickVolumes() {
        Initiator thinHost = thin();
        assertThat(thinHost.send(Cdbs.writeSame10(0, 1, 0x10), new byte[512]).code()).isEqualTo("05/24/00");
        assertThat(thinHost.send(Cdbs.writeSame10(0, 1, 0x18), new byte[512]).code()).isEqualTo("05/24/00");
        harness.close();
        Initiator thickHost = thick();
        assertThat(thickHost.send(Cdbs.writeSame10(0, 1, 0x08), new byte[512]).code()).isEqualTo("05/24/00");
        assertThat(thickHost.send(Cdbs.writeSame10(0, 1, 0), new byte[512]).good()).isTrue();
    }

    @Test
    void shouldRefuseDataOutThatIsNotOneBlock() {
        Initiator host = thin();
        assertThat(host.send(Cdbs.writeSame10(0, 1, 0), new byte[256]).code()).isEqualTo("05/24/00");
        assertThat(host.send(Cdbs.writeSame10(0, 1, 0), new byte[1024]).code()).isEqualTo("05/24/00");
    }

    @Test
    void shouldReturnLbaOutOfRangeBeyondCapacity() {
        Initiator host = thin();
        assertThat(host.send(Cdbs.writeSame10(ScsiHarness.BLOCKS - 1, 2, 0), new byte[512]).code()).isEqualTo("05/21/00");
        assertThat(host.send(Cdbs.writeSame16(ScsiHarness.BLOCKS + 1, 0, 0), new byte[512]).code()).isEqualTo("05/21/00");
        assertThat(host.send(Cdbs.writeSame16(-1, 1, 0), new byte[512]).code()).isEqualTo("05/21/00");
    }

    @Test
    void shouldRefuseWriteSameOnReadOnlyVolumeEvenWithUnmap() {
        harness = new ScsiHarness(new MemoryBlockVolume(ScsiHarness.SIZE, true), directory);
        Initiator host = harness.initiator();
        assertThat(host.send(Cdbs.writeSame10(0, 1, 0x08), null, 512).code()).isEqualTo("07/27/00");
        assertThat(host.send(Cdbs.writeSame16(0, 1, 0), new byte[512]).code()).isEqualTo("07/27/00");
    }
}
