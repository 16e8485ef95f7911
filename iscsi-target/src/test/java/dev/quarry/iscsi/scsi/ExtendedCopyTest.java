package dev.quarry.iscsi.scsi;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quarry.block.testing.MemoryBlockVolume;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExtendedCopyTest {

    @TempDir
    Path directory;
    private ScsiHarness harness;
    private Initiator host;
    private final MemoryBlockVolume secondVolume = new MemoryBlockVolume(1 << 20);
    private final MemoryBlockVolume foreignVolume = new MemoryBlockVolume(1 << 20);
    private LogicalUnit second;
    private LogicalUnit foreign;

    @BeforeEach
    void setUp() {
        harness = ScsiHarness.thin(directory);
        second = new LogicalUnit(secondVolume, ScsiHarness.identity(2),
                new FileLogicalUnitStateStore(directory.resolve("lu-2.state"), harness.io));
        harness.target.map(1, second);
        foreign = new LogicalUnit(foreignVolume, ScsiHarness.identity(3),
                new FileLogicalUnitStateStore(directory.resolve("lu-3.state"), harness.io));
        new ScsiTargetDevice("iqn.2026-01.dev.quarry:other-tenant", List.of(1)).map(0, foreign);
        host = harness.initiator();
        host.lun(1).clearUnitAttentions();
        host.lun(0);
    }

    @AfterEach
    void tearDown() {
        second.close();
        foreign.close();
        secondVolume.close();
        foreignVolume.close();
        harness.close();
    }

    static byte[] identificationDescriptor(int unitNumber, int type) {
        byte[] descriptor = new byte[32];
        descriptor[0] = (byte) type;
        descriptor[4] = 0x01;
        descriptor[5] = 0x03;
        descriptor[7] = 16;
        System.arraycopy(ScsiHarness.identity(unitNumber).naa(), 0, descriptor, 8, 16);
        descriptor[30] = 0x02;
        return descriptor;
    }

    static byte[] blockToBlock(int source, int destination, int blocks, long sourceLba, long destinationLba) {
        byte[] descriptor = new byte[28];
        descriptor[0] = 0x02;
        descriptor[3] = 0x18;
        Cdbs.putShort(descriptor, 4, source);
        Cdbs.putShort(descriptor, 6, destination);
        Cdbs.putShort(descriptor, 10, blocks);
        Cdbs.putLong(descriptor, 12, sourceLba);
        Cdbs.putLong(descriptor, 20, destinationLba);
        return descriptor;
    }

    static byte[] parameters(int listId, int usage, List<byte[]> targets, List<byte[]> segments) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] header = new byte[16];
        header[0] = (byte) listId;
        header[1] = (byte) (usage << 3);
        int targetLength = targets.stream().mapToInt(t -> t.length).sum();
        int segmentLength = segments.stream().mapToInt(s -> s.length).sum();
        Cdbs.putShort(header, 2, targetLength);
        Cdbs.putInt(header, 8, segmentLength);
        out.writeBytes(header);
        targets.forEach(out::writeBytes);
        segments.forEach(out::writeBytes);
        return out.toByteArray();
    }

    private Reply copy(byte[] list) {
        return host.send(Cdbs.extendedCopy(list.length), list);
    }

    @Test
    void shouldCopyBlocksWithinAUnitAndBetweenUnits() {
        byte[] data = ReadWriteTest.pattern(64, 5);
        host.send(Cdbs.write10(0, 64), data);
        Reply within = copy(parameters(1, 2, List.of(identificationDescriptor(1, 0xE4)),
                List.of(blockToBlock(0, 0, 64, 0, 1000))));
        assertThat(within.good()).isTrue();
        assertThat(host.send(Cdbs.read10(1000, 64)).data()).isEqualTo(data);
        Reply between = copy(parameters(2, 2, List.of(identificationDescriptor(1, 0xE4), identificationDescriptor(2, 0xE4)),
                List.of(blockToBlock(0, 1, 64, 0, 8), blockToBlock(0, 1, 8, 0, 100))));
        assertThat(between.good()).isTrue();
        assertThat(host.lun(1).send(Cdbs.read10(8, 64)).data()).isEqualTo(data);
    }

    @Test
    void shouldAbortCopyNamingAUnitOfAnotherTarget() {
        host.send(Cdbs.write10(0, 8), ReadWriteTest.pattern(8, 5));
        Reply reply = copy(parameters(1, 2, List.of(identificationDescriptor(1, 0xE4), identificationDescriptor(3, 0xE4)),
                List.of(blockToBlock(0, 1, 8, 0, 0))));
        assertThat(reply.code()).isEqualTo("0A/0D/02");
        assertThat(foreignVolume.allocatedPages()).as("nothing reached the other tenant").isZero();
    }

    @Test
    void shouldAbortCopyWithAnUnknownTargetIndexOrRangeBeyondCapacity() {
        assertThat(copy(parameters(1, 2, List.of(identificationDescriptor(1, 0xE4)),
                List.of(blockToBlock(0, 1, 8, 0, 0)))).senseKey()).isEqualTo(0x0A);
        assertThat(copy(parameters(1, 2, List.of(identificationDescriptor(1, 0xE4)),
                List.of(blockToBlock(0, 0, 2048, 0, ScsiHarness.BLOCKS - 1)))).senseKey()).isEqualTo(0x0A);
    }

    @Test
    void shouldRefuseUnsupportedDescriptorsAndTooManyOfThem() {
        assertThat(copy(parameters(1, 2, List.of(identificationDescriptor(1, 0xE0)),
                List.of(blockToBlock(0, 0, 1, 0, 8)))).code()).isEqualTo("05/26/07");
        byte[] streamSegment = blockToBlock(0, 0, 1, 0, 8);
        streamSegment[0] = 0x03;
        assertThat(copy(parameters(1, 2, List.of(identificationDescriptor(1, 0xE4)), List.of(streamSegment))).code())
                .isEqualTo("05/26/09");
        List<byte[]> fiveTargets = java.util.Collections.nCopies(5, identificationDescriptor(1, 0xE4));
        assertThat(copy(parameters(1, 2, fiveTargets, List.of(blockToBlock(0, 0, 1, 0, 8)))).code()).isEqualTo("05/26/06");
        List<byte[]> segments = java.util.Collections.nCopies(17, blockToBlock(0, 0, 1, 0, 8));
        assertThat(copy(parameters(1, 2, List.of(identificationDescriptor(1, 0xE4)), segments)).code()).isEqualTo("05/26/08");
        List<byte[]> tooLong = java.util.Collections.nCopies(40, blockToBlock(0, 0, 1, 0, 8));
        assertThat(copy(parameters(1, 2, List.of(identificationDescriptor(1, 0xE4)), tooLong)).code()).isEqualTo("05/1A/00");
    }

    @Test
    void shouldCheckTheParameterListLength() {
        byte[] list = parameters(1, 2, List.of(identificationDescriptor(1, 0xE4)), List.of(blockToBlock(0, 0, 1, 0, 8)));
        assertThat(host.send(Cdbs.extendedCopy(16 + 31), java.util.Arrays.copyOf(list, 47)).code()).isEqualTo("05/1A/00");
        assertThat(host.send(Cdbs.extendedCopy(list.length - 1), java.util.Arrays.copyOf(list, list.length - 1)).code())
                .isEqualTo("05/1A/00");
        assertThat(host.send(Cdbs.extendedCopy(0)).good()).isTrue();
    }

    @Test
    void shouldIgnoreTheLuIdTypeOfIdentificationDescriptors() {
        byte[] target = identificationDescriptor(1, 0xE4);
        target[1] = (byte) 0x80;
        assertThat(copy(parameters(1, 2, List.of(target), List.of(blockToBlock(0, 0, 1, 0, 8)))).good()).isTrue();
    }

    @Test
    void shouldRefuseCopyIntoAReservedUnit() {
        Initiator other = harness.initiator(ScsiHarness.OTHER_INITIATOR, 3);
        other.lun(1).clearUnitAttentions();
        assertThat(other.send(Cdbs.bytes(0x16, 0, 0, 0, 0, 0)).good()).isTrue();
        Reply reply = copy(parameters(1, 2, List.of(identificationDescriptor(1, 0xE4), identificationDescriptor(2, 0xE4)),
                List.of(blockToBlock(0, 1, 1, 0, 0))));
        assertThat(reply.senseKey()).isEqualTo(0x0A);
    }

    @Test
    void shouldReportCopyStatusOfAHeldListAndOperatingParameters() {
        assertThat(host.send(Cdbs.receiveCopyResults(0, 1, 1024)).code()).isEqualTo("05/24/00");
        assertThat(copy(parameters(1, 0, List.of(identificationDescriptor(1, 0xE4)),
                List.of(blockToBlock(0, 0, 8, 0, 16)))).good()).isTrue();
        Reply status = host.send(Cdbs.receiveCopyResults(0, 1, 1024));
        assertThat(status.u32(0)).isEqualTo(8);
        assertThat(status.u8(4) & 0x7F).as("completed without error").isEqualTo(1);
        assertThat(status.u16(5)).isEqualTo(1);
        assertThat(status.u32(8)).isEqualTo(8 * 512);
        Reply parameters = host.send(Cdbs.receiveCopyResults(3, 0, 1024));
        assertThat(parameters.u32(0)).isGreaterThanOrEqualTo(40);
        assertThat(parameters.u16(8)).isEqualTo(4);
        assertThat(parameters.u16(10)).isEqualTo(16);
        assertThat(parameters.u32(12)).isEqualTo(1024);
        assertThat(parameters.u8(43)).isEqualTo(2);
    }

    @Test
    void shouldRefuseCopyToAWriteProtectedDestination() throws java.io.IOException {
        harness.close();
        harness = new ScsiHarness(new MemoryBlockVolume(ScsiHarness.SIZE, true),
                java.nio.file.Files.createDirectories(directory.resolve("read-only")));
        host = harness.initiator();
        assertThat(copy(parameters(1, 2, List.of(identificationDescriptor(1, 0xE4)),
                List.of(blockToBlock(0, 0, 1, 0, 8)))).code()).isEqualTo("07/27/00");
    }
}
