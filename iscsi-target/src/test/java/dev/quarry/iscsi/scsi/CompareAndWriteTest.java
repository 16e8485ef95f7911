package dev.quarry.iscsi.scsi;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CompareAndWriteTest {

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

    private static byte[] compareThenWrite(byte[] expected, byte[] next) {
        byte[] out = Arrays.copyOf(expected, expected.length + next.length);
        System.arraycopy(next, 0, out, expected.length, next.length);
        return out;
    }

    private static byte[] filled(int blocks, char value) {
        byte[] data = new byte[blocks * 512];
        Arrays.fill(data, (byte) value);
        return data;
    }

    @Test
    void shouldWriteWhenTheBlocksMatch() {
        host.send(Cdbs.write16(100, 3), filled(3, 'A'));
        Reply reply = host.send(Cdbs.compareAndWrite(100, 3), compareThenWrite(filled(3, 'A'), filled(3, 'B')));
        assertThat(reply.good()).isTrue();
        assertThat(reply.dataOutLength()).isEqualTo(3 * 1024);
        assertThat(host.send(Cdbs.read16(100, 3)).data()).isEqualTo(filled(3, 'B'));
    }

    @Test
    void shouldWriteNothingAndReportOffsetOnMiscompare() {
        host.send(Cdbs.write16(100, 2), filled(2, 'A'));
        byte[] expected = filled(2, 'A');
        expected[700] = 'C';
        Reply reply = host.send(Cdbs.compareAndWrite(100, 2), compareThenWrite(expected, filled(2, 'B')));
        assertThat(reply.code()).isEqualTo("0E/1D/00");
        assertThat(reply.information()).isEqualTo(700);
        assertThat(host.send(Cdbs.read16(100, 2)).data()).isEqualTo(filled(2, 'A'));
    }

    @Test
    void shouldMiscompareOnNeverWrittenBlocks() {
        Reply reply = host.send(Cdbs.compareAndWrite(7, 1), compareThenWrite(filled(1, '%'), filled(1, 'B')));
        assertThat(reply.code()).isEqualTo("0E/1D/00");
        assertThat(reply.information()).isZero();
        assertThat(host.send(Cdbs.read16(7, 1)).data()).isEqualTo(new byte[512]);
    }

    @Test
    void shouldRefuseMoreBlocksThanTheMaximumOrWrongDataLength() {
        assertThat(host.send(Cdbs.compareAndWrite(0, 2), new byte[4 * 512 - 1]).code()).isEqualTo("05/24/00");
        assertThat(host.send(Cdbs.compareAndWrite(ScsiHarness.BLOCKS - 1, 2), new byte[4 * 512]).code()).isEqualTo("05/21/00");
    }

    @Test
    void shouldTreatZeroBlocksAsNothingToDoUnlessDataCame() {
        assertThat(host.send(Cdbs.compareAndWrite(0, 0)).good()).isTrue();
        assertThat(host.send(Cdbs.compareAndWrite(0, 0), new byte[1024]).code()).isEqualTo("05/24/00");
    }

    @Test
    void shouldStayAtomicAcrossNexusesRacingOnOneBlock() {
        Initiator other = harness.initiator(ScsiHarness.OTHER_INITIATOR, 9);
        host.send(Cdbs.write16(0, 1), filled(1, (char) 0));
        List<CompletableFuture<ScsiResponse>> attempts = new ArrayList<>();
        for (int round = 0; round < 200; round++) {
            attempts.add(host.sendAsync(Cdbs.compareAndWrite(0, 1),
                    compareThenWrite(filled(1, (char) 0), filled(1, (char) 1)), TaskAttribute.SIMPLE, host.nextTag()));
            attempts.add(other.sendAsync(Cdbs.compareAndWrite(0, 1),
                    compareThenWrite(filled(1, (char) 1), filled(1, (char) 0)), TaskAttribute.SIMPLE, other.nextTag()));
        }
        int good = 0;
        for (CompletableFuture<ScsiResponse> attempt : attempts) {
            Reply reply = Initiator.await(attempt);
            if (reply.good()) {
                good++;
            } else {
                assertThat(reply.code()).isEqualTo("0E/1D/00");
            }
        }
        byte[] last = host.send(Cdbs.read16(0, 1)).data();
        assertThat(last).as("one block, never half of each").satisfiesAnyOf(
                b -> assertThat(b).isEqualTo(filled(1, (char) 0)), b -> assertThat(b).isEqualTo(filled(1, (char) 1)));
        assertThat(last[0]).as("final contents follow the number of successful swaps").isEqualTo((byte) (good % 2));
    }

    @Test
    void shouldOrBlocksIntoTheMedium() {
        host.send(Cdbs.write10(30, 2), new byte[1024]);
        byte[] a5 = new byte[1024];
        Arrays.fill(a5, (byte) 0xA5);
        byte[] x5a = new byte[1024];
        Arrays.fill(x5a, (byte) 0x5A);
        assertThat(host.send(Cdbs.rw16(0x8B, 30, 2, 0), a5).good()).isTrue();
        assertThat(host.send(Cdbs.read10(30, 2)).data()).isEqualTo(a5);
        assertThat(host.send(Cdbs.rw16(0x8B, 30, 2, 0x18), x5a).good()).isTrue();
        byte[] ff = new byte[1024];
        Arrays.fill(ff, (byte) 0xFF);
        assertThat(host.send(Cdbs.read10(30, 2)).data()).isEqualTo(ff);
        assertThat(host.send(Cdbs.rw16(0x8B, ScsiHarness.BLOCKS, 1, 0), new byte[512]).code()).isEqualTo("05/21/00");
        assertThat(host.send(Cdbs.rw16(0x8B, 0, 1, 0x20), new byte[512]).code()).isEqualTo("05/24/00");
    }
}
