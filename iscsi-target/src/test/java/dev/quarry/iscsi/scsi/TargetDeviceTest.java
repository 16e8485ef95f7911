package dev.quarry.iscsi.scsi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.quarry.block.testing.MemoryBlockVolume;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TargetDeviceTest {

    @TempDir
    Path directory;
    private ScsiHarness harness;
    private Initiator host;
    private final MemoryBlockVolume secondVolume = new MemoryBlockVolume(1 << 20);
    private LogicalUnit second;

    @BeforeEach
    void setUp() {
        harness = ScsiHarness.thin(directory);
        host = harness.initiator();
        second = new LogicalUnit(secondVolume, ScsiHarness.identity(2),
                new FileLogicalUnitStateStore(directory.resolve("lu-2.state"), harness.io));
    }

    @AfterEach
    void tearDown() {
        second.close();
        secondVolume.close();
        harness.close();
    }

    @Test
    void shouldReportLunsInSamEncodingIncludingFlatAddressing() {
        harness.target.map(300, second);
        host.clearUnitAttentions();
        Reply reply = host.send(Cdbs.reportLuns(0, 64));
        assertThat(reply.u32(0)).isEqualTo(16);
        assertThat(reply.u64(8)).isZero();
        assertThat(reply.u64(16)).isEqualTo(0x412C_0000_0000_0000L);
        host.lun(300).clearUnitAttentions();
        assertThat(host.send(Cdbs.readCapacity10()).u32(0)).isEqualTo((1 << 20) / 512 - 1);
    }

    @Test
    void shouldAnswerReportLunsAtAnUnmappedLun() {
        Reply reply = host.lun(77).send(Cdbs.reportLuns(2, 16));
        assertThat(reply.good()).isTrue();
        assertThat(reply.u32(0)).isEqualTo(8);
        assertThat(host.send(Cdbs.reportLuns(1, 16)).u32(0)).as("no well-known LUNs").isZero();
        assertThat(host.send(Cdbs.reportLuns(3, 16)).code()).isEqualTo("05/24/00");
    }

    @Test
    void shouldAnswerInquiryAtAnUnmappedLunWithPeripheralQualifierThree() {
        Reply reply = host.lun(5).send(Cdbs.inquiry(false, 0, 96));
        assertThat(reply.good()).isTrue();
        assertThat(reply.u8(0)).isEqualTo(0x7F);
    }

    @Test
    void shouldRefuseOtherCommandsAtAnUnmappedLun() {
        assertThat(host.lun(5).send(Cdbs.read10(0, 1)).code()).isEqualTo("05/25/00");
        Reply sense = host.lun(5).send(Cdbs.requestSense(false, 18));
        assertThat(sense.good()).isTrue();
        assertThat(sense.u8(2) & 0x0F).isEqualTo(5);
        assertThat(sense.u8(12)).isEqualTo(0x25);
        byte[] data = new byte[512];
        assertThat(host.lun(5).send(Cdbs.write10(0, 1), data).code()).as("Data-Out released, not leaked").isEqualTo("05/25/00");
    }

    @Test
    void shouldRaiseReportedLunsChangedWhenTheMapChangesAndClearItWithReportLuns() {
        harness.target.map(1, second);
        assertThat(host.send(Cdbs.testUnitReady()).code()).isEqualTo("06/3F/0E");
        assertThat(host.send(Cdbs.testUnitReady()).good()).isTrue();
        assertThat(harness.target.unmap(1)).isSameAs(second);
        assertThat(host.send(Cdbs.reportLuns(0, 64)).u32(0)).isEqualTo(8);
        assertThat(host.send(Cdbs.testUnitReady()).good()).as("REPORT LUNS cleared it").isTrue();
        assertThat(host.lun(1).send(Cdbs.testUnitReady()).code()).isEqualTo("05/25/00");
    }

    @Test
    void shouldGiveANewLunItsOwnPowerOnAttention() {
        harness.target.map(1, second);
        host.lun(1);
        assertThat(host.send(Cdbs.testUnitReady()).code()).isEqualTo("06/29/00");
        assertThat(host.send(Cdbs.testUnitReady()).code()).isEqualTo("06/3F/0E");
        assertThat(host.send(Cdbs.testUnitReady()).good()).isTrue();
    }

    @Test
    void shouldRefuseMappingTwiceOrOutOfRange() {
        assertThatThrownBy(() -> harness.target.map(0, second)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> harness.target.map(2, harness.unit)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> harness.target.map(16384, second)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> harness.target.attach(new ItNexus("iqn.x", 1, "iqn.other", 1), host))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldReportPowerOnFirstAndNexusLossWhenANexusComesBack() {
        Initiator fresh = harness.freshInitiator(ScsiHarness.OTHER_INITIATOR, 0x99, 1);
        assertThat(fresh.send(Cdbs.testUnitReady()).code()).isEqualTo("06/29/00");
        fresh.port.close();
        Initiator back = harness.freshInitiator(ScsiHarness.OTHER_INITIATOR, 0x99, 1);
        assertThat(back.send(Cdbs.testUnitReady()).code()).isEqualTo("06/29/07");
        assertThat(back.send(Cdbs.testUnitReady()).good()).isTrue();
    }

    @Test
    void shouldReportAndClearAPendingAttentionThroughRequestSense() {
        Initiator fresh = harness.freshInitiator(ScsiHarness.OTHER_INITIATOR, 0x98, 1);
        Reply sense = fresh.send(Cdbs.requestSense(false, 252));
        assertThat(sense.good()).isTrue();
        assertThat(sense.u8(2) & 0x0F).isEqualTo(6);
        assertThat(sense.u8(12)).isEqualTo(0x29);
        Reply descriptor = fresh.send(Cdbs.requestSense(true, 252));
        assertThat(descriptor.u8(0)).isEqualTo(0x72);
        assertThat(descriptor.u8(1) & 0x0F).as("no sense").isZero();
        assertThat(fresh.send(Cdbs.testUnitReady()).good()).isTrue();
    }

    @Test
    void shouldReportOnePortGroupPerPortalGroupActiveOptimized() {
        harness.target.addPortalGroup(2);
        Reply reply = host.send(Cdbs.maintenanceIn(0x0A, 256));
        assertThat(reply.u32(0)).isEqualTo(24);
        assertThat(reply.u8(4) & 0x0F).as("active/optimized").isZero();
        assertThat(reply.u16(6)).isEqualTo(1);
        assertThat(reply.u8(11)).isEqualTo(1);
        assertThat(reply.u16(14)).isEqualTo(1);
        assertThat(reply.u16(18)).isEqualTo(2);
        byte[] extended = Cdbs.maintenanceIn(0x2A, 256);
        assertThat(host.send(extended).u8(4) & 0x70).isEqualTo(0x10);
    }

    @Test
    void shouldReportSupportedTaskManagementFunctions() {
        Reply reply = host.send(Cdbs.maintenanceIn(0x0D, 16));
        assertThat(reply.u8(0)).isEqualTo(0xDA);
        byte[] extended = Cdbs.maintenanceIn(0x0D, 16);
        extended[2] = (byte) 0x80;
        assertThat(host.send(extended).data()).hasSize(16);
    }

    @Test
    void shouldRefuseUnknownOpcodesAndReservedBitsAndNaca() {
        assertThat(host.send(Cdbs.bytes(0xC7, 0, 0, 0, 0, 0)).code()).isEqualTo("05/20/00");
        assertThat(host.send(Cdbs.bytes(0x00, 0x01, 0, 0, 0, 0)).code()).isEqualTo("05/24/00");
        assertThat(host.send(Cdbs.bytes(0x00, 0, 0, 0, 0, 0x04)).code()).isEqualTo("05/24/00");
        assertThat(host.send(Cdbs.maintenanceIn(0x05, 16)).code()).isEqualTo("05/24/00");
    }

    @Test
    void shouldAcceptStartStopAndPreventAllowForANonRemovableDisk() {
        assertThat(host.send(Cdbs.bytes(0x1B, 0, 0, 0, 0x00, 0)).good()).as("stop flushes").isTrue();
        assertThat(host.send(Cdbs.bytes(0x1B, 1, 0, 0, 0x01, 0)).good()).isTrue();
        assertThat(host.send(Cdbs.bytes(0x1B, 0, 0, 0, 0x02, 0)).code()).as("no medium to eject").isEqualTo("05/24/00");
        assertThat(host.send(Cdbs.bytes(0x1B, 0, 0, 0, 0x40, 0)).code()).as("power condition 4").isEqualTo("05/24/00");
        assertThat(host.send(Cdbs.bytes(0x1B, 1, 0, 0, 0x30, 0)).good()).isTrue();
        assertThat(host.send(Cdbs.read10(0, 1)).good()).as("still serving").isTrue();
        assertThat(host.send(Cdbs.bytes(0x1E, 0, 0, 0, 1, 0)).good()).isTrue();
        assertThat(host.send(Cdbs.bytes(0x1E, 0, 0, 0, 0, 0)).good()).isTrue();
        assertThat(host.send(Cdbs.bytes(0x1E, 0, 0, 0, 2, 0)).code()).isEqualTo("05/24/00");
    }

    @Test
    void shouldReportEmptyDefectLists() {
        Reply ten = host.send(Cdbs.bytes(0x37, 0, 0x18, 0, 0, 0, 0, 0, 32, 0));
        assertThat(ten.data()).hasSize(4);
        assertThat(ten.u8(1)).isEqualTo(0x18);
        assertThat(ten.u16(2)).isZero();
        Reply twelve = host.send(Cdbs.bytes(0xB7, 0x08, 0, 0, 0, 0, 0, 0, 0, 32, 0, 0));
        assertThat(twelve.data()).hasSize(8);
        assertThat(twelve.u32(4)).isZero();
    }
}
