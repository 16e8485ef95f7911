package dev.quarry.iscsi.scsi;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class InquiryTest {

    @TempDir
    java.nio.file.Path directory;
    private ScsiHarness harness;
    private Initiator host;

    @BeforeEach
    void setUp() {
        harness = ScsiHarness.thin(directory);
        host = harness.initiator();
    }

    @AfterEach
    void tearDown() {
        harness.close();
    }

    @Test
    void shouldReportStandardDataWithTpgsThirdPartyCopyAndCommandQueuing() {
        Reply reply = host.send(Cdbs.inquiry(false, 0, 260));
        assertThat(reply.good()).isTrue();
        assertThat(reply.data()).hasSize(96);
        assertThat(reply.u8(0)).isZero();
        assertThat(reply.u8(2)).isEqualTo(0x06);
        assertThat(reply.u8(3) & 0x0F).isEqualTo(2);
        assertThat(reply.u8(4)).isEqualTo(91);
        assertThat(reply.u8(5) & 0x30).as("TPGS implicit ALUA").isEqualTo(0x10);
        assertThat(reply.u8(5) & 0x08).as("3PC").isEqualTo(0x08);
        assertThat(reply.u8(7) & 0x02).as("CmdQue").isEqualTo(0x02);
        assertThat(new String(reply.data(), 8, 8, StandardCharsets.US_ASCII)).isEqualTo("QUARRY  ");
        assertThat(new String(reply.data(), 16, 16, StandardCharsets.US_ASCII)).isEqualTo("Quarry volume   ");
        assertThat(reply.u16(58)).isEqualTo(0x00A0);
        assertThat(reply.u16(64)).as("SBC-3 claimed").isEqualTo(0x04C0);
    }

    @ParameterizedTest
    @ValueSource(ints = {5, 36, 95, 255})
    void shouldCutStandardDataToAllocationLength(int allocation) {
        Reply reply = host.send(Cdbs.inquiry(false, 0, allocation));
        assertThat(reply.data()).hasSize(Math.min(96, allocation));
    }

    @Test
    void shouldRefusePageCodeWithoutEvpd() {
        Reply reply = host.send(Cdbs.inquiry(false, 1, 256));
        assertThat(reply.code()).isEqualTo("05/24/00");
        assertThat(reply.senseKeySpecific()).as("field pointer to byte 2 of the CDB").isEqualTo(0xC0_0002 | 0x08_0000 | 7 << 16);
    }

    @Test
    void shouldListSupportedVpdPagesInAscendingOrderAndServeEachOfThem() {
        Reply reply = host.send(Cdbs.inquiry(true, 0x00, 255));
        int count = reply.u8(3);
        int[] pages = new int[count];
        for (int i = 0; i < count; i++) {
            pages[i] = reply.u8(4 + i);
        }
        assertThat(pages).containsExactly(0x00, 0x80, 0x83, 0x86, 0x8F, 0xB0, 0xB1, 0xB2);
        for (int page : pages) {
            Reply served = host.send(Cdbs.inquiry(true, page, 255));
            assertThat(served.good()).as("page %02x", page).isTrue();
            assertThat(served.u8(1)).isEqualTo(page);
        }
    }

    @Test
    void shouldRefuseUnknownVpdPage() {
        assertThat(host.send(Cdbs.inquiry(true, 0x99, 255)).code()).isEqualTo("05/24/00");
    }

    @Test
    void shouldReportUnitSerialNumber() {
        Reply reply = host.send(Cdbs.inquiry(true, 0x80, 255));
        assertThat(new String(reply.data(), 4, reply.u8(3), StandardCharsets.US_ASCII)).isEqualTo("QRY-1");
    }

    @Test
    void shouldIdentifyUnitByNaaAndTargetPortByRelativePortGroupAndName() {
        Reply reply = host.send(Cdbs.inquiry(true, 0x83, 1024));
        assertThat(reply.u16(2) + 4).isEqualTo(reply.data().length);
        int at = 4;
        boolean naa = false;
        boolean relativePort = false;
        boolean group = false;
        String portName = null;
        String deviceName = null;
        while (at < reply.data().length) {
            int type = reply.u8(at + 1) & 0x0F;
            int association = (reply.u8(at + 1) & 0x30) >> 4;
            int length = reply.u8(at + 3);
            byte[] value = Arrays.copyOfRange(reply.data(), at + 4, at + 4 + length);
            if (type == 3 && association == 0) {
                naa = Arrays.equals(value, ScsiHarness.identity(1).naa());
            } else if (type == 4) {
                relativePort = (value[2] << 8 | value[3]) == 1;
            } else if (type == 5) {
                group = (value[2] << 8 | value[3]) == 1;
            } else if (type == 8 && association == 1) {
                portName = new String(value, StandardCharsets.UTF_8).trim();
            } else if (type == 8 && association == 2) {
                deviceName = new String(value, StandardCharsets.UTF_8).trim();
            }
            at += 4 + length;
        }
        assertThat(naa).isTrue();
        assertThat(relativePort).isTrue();
        assertThat(group).isTrue();
        assertThat(portName).startsWith(ScsiHarness.TARGET + ",t,0x0001");
        assertThat(deviceName).startsWith(ScsiHarness.TARGET);
    }

    @Test
    void shouldReportBlockLimitsForThinVolume() {
        Reply reply = host.send(Cdbs.inquiry(true, 0xB0, 64));
        assertThat(reply.u16(2)).isEqualTo(0x3C);
        assertThat(reply.u8(5)).as("max compare and write").isEqualTo(255);
        assertThat(reply.u16(6)).as("optimal granularity = physical block").isEqualTo(8);
        assertThat(reply.u32(8)).as("max transfer").isEqualTo(65536);
        assertThat(reply.u32(20)).as("max unmap lba count").isEqualTo(1 << 20);
        assertThat(reply.u32(24)).as("max unmap descriptors").isEqualTo(256);
        assertThat(reply.u32(28)).as("unmap granularity").isEqualTo(8);
        assertThat(reply.u64(36)).as("max write same").isEqualTo(1L << 22);
        assertThat(reply.u32(44)).as("max atomic").isEqualTo(2048);
    }

    @Test
    void shouldReportNonRotatingMediumAndWriteAfterEraseNotRequired() {
        Reply reply = host.send(Cdbs.inquiry(true, 0xB1, 64));
        assertThat(reply.u16(4)).isEqualTo(1);
        assertThat(reply.u8(7) >> 6).as("WABEREQ").isEqualTo(1);
    }

    @Test
    void shouldReportThinProvisioningWithUnmapAndWriteSameUnmap() {
        Reply reply = host.send(Cdbs.inquiry(true, 0xB2, 64));
        assertThat(reply.u8(5) & 0xE4).as("LBPU LBPWS LBPWS10 LBPRZ").isEqualTo(0xE4);
        assertThat(reply.u8(6) & 0x07).as("thin").isEqualTo(2);
    }

    @Test
    void shouldKeepInquiryAvailableWhileUnitAttentionIsPending() {
        Initiator fresh = harness.freshInitiator(ScsiHarness.OTHER_INITIATOR, 7, 1);
        assertThat(fresh.send(Cdbs.inquiry(false, 0, 96)).good()).isTrue();
        assertThat(fresh.send(Cdbs.testUnitReady()).code()).isEqualTo("06/29/00");
        assertThat(fresh.send(Cdbs.testUnitReady()).good()).isTrue();
    }
}
