package dev.quarry.iscsi.scsi;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quarry.block.testing.MemoryBlockVolume;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ThinProvisioningTest {

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

    private static void unmap(Initiator host, String expected, long... extents) {
        byte[] list = Cdbs.unmapList(extents);
        assertThat(host.send(Cdbs.unmap(list.length), list).code()).isEqualTo(expected);
    }

    @Test
    void shouldUnmapDescriptorsSoBlocksReadAsZeroes() {
        Initiator host = thin();
        host.send(Cdbs.write10(0, 64), ReadWriteTest.pattern(64, 1));
        unmap(host, "GOOD", 0, 8, 16, 8);
        byte[] read = host.send(Cdbs.read10(0, 24)).data();
        assertThat(java.util.Arrays.copyOfRange(read, 0, 4096)).isEqualTo(new byte[4096]);
        assertThat(java.util.Arrays.copyOfRange(read, 4096, 8192)).isEqualTo(
                java.util.Arrays.copyOfRange(ReadWriteTest.pattern(64, 1), 4096, 8192));
        assertThat(harness.memory().allocatedPages()).isEqualTo(6);
    }

    @Test
    void shouldAcceptEmptyAndZeroLengthUnmap() {
        Initiator host = thin();
        assertThat(host.send(Cdbs.unmap(0)).good()).isTrue();
        unmap(host, "GOOD");
        unmap(host, "GOOD", ScsiHarness.BLOCKS, 0);
    }

    @Test
    void shouldRefuseTheWholeUnmapWhenOneDescriptorPassesCapacity() {
        Initiator host = thin();
        host.send(Cdbs.write10(0, 8), ReadWriteTest.pattern(8, 1));
        unmap(host, "05/21/00", 0, 8, ScsiHarness.BLOCKS - 1, 2);
        assertThat(host.send(Cdbs.read10(0, 8)).data()).isEqualTo(ReadWriteTest.pattern(8, 1));
    }

    @Test
    void shouldRefuseShortParameterListAndTooManyDescriptors() {
        Initiator host = thin();
        assertThat(host.send(Cdbs.unmap(4), new byte[4]).code()).isEqualTo("05/1A/00");
        long[] tooMany = new long[2 * 257];
        for (int i = 0; i < 257; i++) {
            tooMany[2 * i] = i;
            tooMany[2 * i + 1] = 1;
        }
        unmap(host, "05/26/00", tooMany);
    }

    @Test
    void shouldRefuseUnmapOnReadOnlyVolume() {
        harness = new ScsiHarness(new MemoryBlockVolume(ScsiHarness.SIZE, true), directory);
        unmap(harness.initiator(), "07/27/00", 0, 8);
    }

    @Test
    void shouldNotOfferUnmapOrGetLbaStatusOnThickVolumes() {
        Initiator host = thick();
        byte[] list = Cdbs.unmapList(0, 8);
        assertThat(host.send(Cdbs.unmap(list.length), list).code()).isEqualTo("05/20/00");
        assertThat(host.send(Cdbs.getLbaStatus(0, 24)).code()).isEqualTo("05/24/00");
        assertThat(host.send(Cdbs.inquiry(true, 0xB2, 64)).code()).isEqualTo("05/24/00");
        Reply capacity = host.send(Cdbs.readCapacity16(32));
        assertThat(capacity.u8(14) & 0xC0).as("LBPME and LBPRZ clear").isZero();
        Reply limits = host.send(Cdbs.inquiry(true, 0xB0, 64));
        assertThat(limits.u32(20)).isZero();
        assertThat(limits.u32(24)).isZero();
    }

    @Test
    void shouldReportMappedAndDeallocatedExtents() {
        Initiator host = thin();
        host.send(Cdbs.write10(8, 8), ReadWriteTest.pattern(8, 1));
        Reply reply = host.send(Cdbs.getLbaStatus(0, 8 + 3 * 16));
        assertThat(reply.good()).isTrue();
        assertThat(reply.u64(8)).isZero();
        assertThat(reply.u32(16)).isEqualTo(8);
        assertThat(reply.u8(20) & 0x0F).as("deallocated").isEqualTo(1);
        assertThat(reply.u64(24)).isEqualTo(8);
        assertThat(reply.u32(32)).isEqualTo(8);
        assertThat(reply.u8(36) & 0x0F).as("mapped").isZero();
        assertThat(reply.u64(40)).isEqualTo(16);
    }

    @Test
    void shouldStartTheFirstDescriptorAtTheRequestedLba() {
        Initiator host = thin();
        host.send(Cdbs.write10(0, 32), ReadWriteTest.pattern(32, 1));
        Reply reply = host.send(Cdbs.getLbaStatus(9, 24));
        assertThat(reply.u64(8)).isEqualTo(9);
        assertThat(reply.u8(20) & 0x0F).isZero();
    }

    @Test
    void shouldReportTheWholeUnitDeallocatedInOneDescriptorAfterUnmappingEverything() {
        Initiator host = thin();
        Reply reply = host.send(Cdbs.getLbaStatus(0, 256));
        assertThat(reply.u32(0)).isEqualTo(4 + 16);
        assertThat(reply.u32(16)).isEqualTo(ScsiHarness.BLOCKS);
    }

    @Test
    void shouldReturnLbaOutOfRangeForStatusBeyondCapacity() {
        Initiator host = thin();
        assertThat(host.send(Cdbs.getLbaStatus(ScsiHarness.BLOCKS, 24)).code()).isEqualTo("05/21/00");
        assertThat(host.send(Cdbs.getLbaStatus(-1, 24)).code()).isEqualTo("05/21/00");
        assertThat(host.send(Cdbs.getLbaStatus(ScsiHarness.BLOCKS - 1, 24)).good()).isTrue();
    }
}
