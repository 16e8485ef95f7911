package dev.quarry.iscsi.scsi;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VerifyTest {

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

    @Test
    void shouldVerifyMatchingDataWithByteCheck() {
        byte[] data = ReadWriteTest.pattern(16, 3);
        host.send(Cdbs.write10(10, 16), data);
        assertThat(host.send(Cdbs.rw10(0x2F, 10, 16, 0x02), data).good()).isTrue();
        assertThat(host.send(Cdbs.rw12(0xAF, 10, 16, 0x02), data).good()).isTrue();
        assertThat(host.send(Cdbs.rw16(0x8F, 10, 16, 0x02), data).good()).isTrue();
    }

    @Test
    void shouldReportMiscompareWithOffsetOfFirstDifferingByte() {
        byte[] data = ReadWriteTest.pattern(4, 3);
        host.send(Cdbs.write10(10, 4), data);
        byte[] other = data.clone();
        other[1234] ^= 0x58;
        Reply reply = host.send(Cdbs.rw10(0x2F, 10, 4, 0x02), other);
        assertThat(reply.code()).isEqualTo("0E/1D/00");
        assertThat(reply.information()).isEqualTo(1234);
    }

    @Test
    void shouldNotCompareWithoutByteCheck() {
        host.send(Cdbs.write10(10, 1), ReadWriteTest.pattern(1, 3));
        Reply reply = host.send(Cdbs.rw10(0x2F, 10, 1, 0x00));
        assertThat(reply.good()).isTrue();
        assertThat(reply.dataOutLength()).isZero();
    }

    @Test
    void shouldCompareEveryBlockWithOneBlockForByteCheckThree() {
        byte[] block = ReadWriteTest.pattern(1, 5);
        byte[] four = new byte[4 * 512];
        for (int i = 0; i < 4; i++) {
            System.arraycopy(block, 0, four, i * 512, 512);
        }
        four[3 * 512 + 9] ^= 1;
        host.send(Cdbs.write10(50, 4), four);
        Reply reply = host.send(Cdbs.rw10(0x2F, 50, 4, 0x06), block);
        assertThat(reply.code()).isEqualTo("0E/1D/00");
        assertThat(reply.information()).isEqualTo(3 * 512 + 9);
    }

    @Test
    void shouldRefuseReservedByteCheckAndProtection() {
        assertThat(host.send(Cdbs.rw10(0x2F, 0, 1, 0x04)).code()).isEqualTo("05/24/00");
        assertThat(host.send(Cdbs.rw10(0x2F, 0, 1, 0x20 | 0x02), new byte[512]).code()).isEqualTo("05/24/00");
    }

    @Test
    void shouldCheckRangeOfVerify() {
        assertThat(host.send(Cdbs.rw16(0x8F, ScsiHarness.BLOCKS - 1, 2, 0x02), new byte[1024]).code()).isEqualTo("05/21/00");
        assertThat(host.send(Cdbs.rw10(0x2F, ScsiHarness.BLOCKS + 1, 0, 0x02)).code()).isEqualTo("05/21/00");
        assertThat(host.send(Cdbs.rw10(0x2F, 0, 0, 0x02)).good()).isTrue();
    }

    @Test
    void shouldWriteAndVerify() {
        byte[] data = ReadWriteTest.pattern(8, 11);
        assertThat(host.send(Cdbs.rw10(0x2E, 0, 8, 0x02), data).good()).isTrue();
        assertThat(host.send(Cdbs.rw12(0xAE, 8, 8, 0x00), data).good()).isTrue();
        assertThat(host.send(Cdbs.rw16(0x8E, 16, 8, 0x12), data).good()).isTrue();
        assertThat(host.send(Cdbs.read16(16, 8)).data()).isEqualTo(data);
    }

    @Test
    void shouldWriteAndVerifyOnlyTheBlocksReceived() {
        host.send(Cdbs.write10(0, 2), ReadWriteTest.pattern(2, 'a'));
        byte[] first = ReadWriteTest.pattern(1, 'b');
        Reply reply = host.send(Cdbs.rw10(0x2E, 0, 2, 0x02), first);
        assertThat(reply.good()).isTrue();
        byte[] read = host.send(Cdbs.read10(0, 2)).data();
        assertThat(Arrays.copyOfRange(read, 0, 512)).isEqualTo(first);
        assertThat(Arrays.copyOfRange(read, 512, 1024)).isEqualTo(Arrays.copyOfRange(ReadWriteTest.pattern(2, 'a'), 512, 1024));
    }

    @Test
    void shouldRefuseWriteAndVerifyWithWriteProtect() {
        assertThat(host.send(Cdbs.rw10(0x2E, 0, 1, 0x40), new byte[512]).code()).isEqualTo("05/24/00");
    }
}
