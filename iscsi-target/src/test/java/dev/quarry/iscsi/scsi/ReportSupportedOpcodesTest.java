package dev.quarry.iscsi.scsi;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportSupportedOpcodesTest {

    @TempDir
    Path directory;
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

    private record Descriptor(int opcode, int serviceAction, boolean serviceActionValid, int cdbLength) {
    }

    private List<Descriptor> all(boolean timeouts) {
        Reply reply = host.send(Cdbs.reportSupportedOpcodes(timeouts, 0, 0, 0, 65535));
        assertThat(reply.good()).isTrue();
        List<Descriptor> descriptors = new ArrayList<>();
        int at = 4;
        while (at < 4 + reply.u32(0)) {
            boolean ctdp = (reply.u8(at + 5) & 0x02) != 0;
            assertThat(ctdp).isEqualTo(timeouts);
            descriptors.add(new Descriptor(reply.u8(at), reply.u16(at + 2), (reply.u8(at + 5) & 0x01) != 0, reply.u16(at + 6)));
            if (ctdp) {
                assertThat(reply.u16(at + 8)).isEqualTo(0x0A);
            }
            at += ctdp ? 20 : 8;
        }
        return descriptors;
    }

    @Test
    void shouldListEveryCommandOnceWithServiceActionsMarked() {
        List<Descriptor> descriptors = all(false);
        assertThat(descriptors).contains(new Descriptor(0x28, 0, false, 10), new Descriptor(0x9E, 0x10, true, 16),
                new Descriptor(0x9E, 0x12, true, 16), new Descriptor(0x42, 0, false, 10), new Descriptor(0x89, 0, false, 16),
                new Descriptor(0x83, 0, true, 16), new Descriptor(0x5F, 7, true, 10), new Descriptor(0x48, 2, true, 10));
        assertThat(descriptors).doesNotHaveDuplicates();
        assertThat(descriptors).allSatisfy(d -> assertThat(d.serviceActionValid() || d.serviceAction() == 0).isTrue());
        assertThat(all(true)).hasSameSizeAs(descriptors);
    }

    @Test
    void shouldDescribeEachListedCommandAloneAndRefuseTheWrongForm() {
        for (Descriptor descriptor : all(false)) {
            int form = descriptor.serviceActionValid() ? 2 : 1;
            Reply one = host.send(Cdbs.reportSupportedOpcodes(false, form, descriptor.opcode(), descriptor.serviceAction(), 65535));
            assertThat(one.good()).as("%02x/%02x", descriptor.opcode(), descriptor.serviceAction()).isTrue();
            assertThat(one.u8(1) & 0x07).isEqualTo(3);
            assertThat(one.u16(2)).isEqualTo(descriptor.cdbLength());
            assertThat(one.u8(4)).isEqualTo(descriptor.opcode());
            int wrong = descriptor.serviceActionValid() ? 1 : 2;
            assertThat(host.send(Cdbs.reportSupportedOpcodes(false, wrong, descriptor.opcode(), descriptor.serviceAction(), 65535))
                    .code()).isEqualTo("05/24/00");
        }
    }

    @Test
    void shouldShowDpoFuaInTheUsageDataOfReadAndWrite() {
        Reply read = host.send(Cdbs.reportSupportedOpcodes(false, 1, 0x28, 0, 65535));
        assertThat(read.u8(5) & 0x18).isEqualTo(0x18);
        Reply caw = host.send(Cdbs.reportSupportedOpcodes(true, 1, 0x89, 0, 65535));
        assertThat(caw.u8(1) & 0x80).as("CTDP").isEqualTo(0x80);
        assertThat(caw.data()).hasSize(4 + 16 + 12);
    }

    @Test
    void shouldSayNotSupportedForAnUnknownCommand() {
        Reply reply = host.send(Cdbs.reportSupportedOpcodes(false, 1, 0xC7, 0, 65535));
        assertThat(reply.good()).isTrue();
        assertThat(reply.u8(1) & 0x07).isEqualTo(1);
        assertThat(host.send(Cdbs.reportSupportedOpcodes(false, 5, 0, 0, 65535)).code()).isEqualTo("05/24/00");
    }

    @Test
    void shouldEveryListedCommandBeServedRatherThanUnknown() {
        for (Descriptor descriptor : all(false)) {
            byte[] cdb = new byte[16];
            cdb[0] = (byte) descriptor.opcode();
            if (descriptor.serviceActionValid()) {
                cdb[1] = (byte) descriptor.serviceAction();
            }
            Reply reply = host.send(cdb);
            assertThat(reply.code()).as("%02x/%02x", descriptor.opcode(), descriptor.serviceAction()).isNotEqualTo("05/20/00");
            host.clearUnitAttentions();
        }
    }
}
