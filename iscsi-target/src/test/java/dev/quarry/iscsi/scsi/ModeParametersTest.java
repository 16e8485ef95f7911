package dev.quarry.iscsi.scsi;

import static org.assertj.core.api.Assertions.assertThat;

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

class ModeParametersTest {

    private static final int CURRENT = 0;
    private static final int CHANGEABLE = 1;
    private static final int DEFAULT = 2;
    private static final int SAVED = 3;

    @TempDir
    Path directory;
    private ScsiHarness harness;
    private final List<WriteOptions> writes = new CopyOnWriteArrayList<>();

    @AfterEach
    void tearDown() {
        harness.close();
    }

    private ScsiHarness volatileCache() {
        return new ScsiHarness(new ForwardingVolume(new MemoryBlockVolume(ScsiHarness.SIZE), false, true, true) {
            @Override
            public CompletableFuture<Void> write(long lba, ByteBuf data, WriteOptions options) {
                writes.add(options);
                return super.write(lba, data, options);
            }
        }, directory);
    }

    private Initiator host() {
        harness = volatileCache();
        return harness.initiator();
    }

    /** The page {@code code} from a MODE SENSE(6) answer without block descriptor. */
    private static byte[] page(Initiator host, int control, int code) {
        Reply reply = host.send(Cdbs.modeSense6(control, code, 0, 255, true));
        assertThat(reply.good()).isTrue();
        int at = 4;
        while (at < reply.data().length) {
            int length = reply.u8(at + 1) + 2;
            if ((reply.u8(at) & 0x3F) == code) {
                return Arrays.copyOfRange(reply.data(), at, at + length);
            }
            at += length;
        }
        throw new AssertionError("page " + code + " missing");
    }

    private static Reply select(Initiator host, byte[] page, boolean save) {
        byte[] list = new byte[4 + page.length];
        System.arraycopy(page, 0, list, 4, page.length);
        list[4] &= 0x7F;
        return host.send(Cdbs.modeSelect6(save, list.length), list);
    }

    @Test
    void shouldReturnEveryPageWithHeaderAndBlockDescriptor() {
        Initiator host = host();
        Reply reply = host.send(Cdbs.modeSense6(CURRENT, 0x3F, 0, 255, false));
        assertThat(reply.u8(0)).isEqualTo(reply.data().length - 1);
        assertThat(reply.u8(2) & 0x10).as("DPOFUA").isEqualTo(0x10);
        assertThat(reply.u8(2) & 0x80).as("not write protected").isZero();
        assertThat(reply.u8(3)).isEqualTo(8);
        assertThat(reply.u32(4)).isEqualTo(ScsiHarness.BLOCKS);
        assertThat(reply.u32(8) & 0xFFFFFF).isEqualTo(512);
        assertThat(reply.u8(12) & 0x3F).isEqualTo(0x01);
        assertThat(page(host, CURRENT, 0x08)[2] & 0x04).as("WCE tells the truth").isEqualTo(0x04);
        assertThat(page(host, CURRENT, 0x0A)[5] & 0x40).as("TAS").isEqualTo(0x40);
        assertThat(page(host, CURRENT, 0x1C)).hasSize(12);
    }

    @Test
    void shouldReportWceOffWhenTheVolumeHasNoVolatileCache() {
        harness = ScsiHarness.thin(directory);
        Initiator host = harness.initiator();
        assertThat(page(host, CURRENT, 0x08)[2] & 0x04).isZero();
        assertThat(page(host, CHANGEABLE, 0x08)[2] & 0x04).as("cannot claim a cache it has not").isZero();
    }

    @Test
    void shouldServeLongBlockDescriptorAndModeSense10() {
        Initiator host = host();
        Reply reply = host.send(Cdbs.modeSense10(CURRENT, 0x0A, 255, true));
        assertThat(reply.u16(0)).isEqualTo(reply.data().length - 2);
        assertThat(reply.u8(4) & 0x01).as("LONGLBA").isEqualTo(1);
        assertThat(reply.u16(6)).isEqualTo(16);
        assertThat(reply.u64(8)).isEqualTo(ScsiHarness.BLOCKS);
        assertThat(reply.u32(20)).isEqualTo(512);
        assertThat(reply.u8(24) & 0x3F).isEqualTo(0x0A);
    }

    @Test
    void shouldReportChangeableMasksAndDefaults() {
        Initiator host = host();
        byte[] control = page(host, CHANGEABLE, 0x0A);
        assertThat(control[2] & 0xFF).isEqualTo(0x04);
        assertThat(control[4] & 0xFF).isEqualTo(0x08);
        assertThat(control[5] & 0xFF).isEqualTo(0x40);
        assertThat(page(host, DEFAULT, 0x0A)[2] & 0x04).isZero();
        assertThat(page(host, SAVED, 0x08)[2] & 0x04).isEqualTo(0x04);
    }

    @Test
    void shouldRefuseUnknownPagesAndSubpages() {
        Initiator host = host();
        assertThat(host.send(Cdbs.modeSense6(CURRENT, 0x19, 0, 255, true)).code()).isEqualTo("05/24/00");
        assertThat(host.send(Cdbs.modeSense6(CURRENT, 0x0A, 0x01, 255, true)).code()).isEqualTo("05/24/00");
        assertThat(host.send(Cdbs.modeSense6(CURRENT, 0x3F, 0xFF, 255, true)).good()).isTrue();
    }

    @Test
    void shouldCutModeSenseToAllocationLengthKeepingTheTotalLength() {
        Initiator host = host();
        Reply reply = host.send(Cdbs.modeSense6(CURRENT, 0x3F, 0, 4, false));
        assertThat(reply.data()).hasSize(4);
        assertThat(reply.u8(0)).isGreaterThan(3);
    }

    @Test
    void shouldMakeEveryWriteFuaOnceWceIsCleared() {
        Initiator host = host();
        Initiator other = harness.initiator(ScsiHarness.OTHER_INITIATOR, 3);
        byte[] caching = page(host, CURRENT, 0x08);
        caching[2] &= ~0x04;
        assertThat(select(host, caching, false).good()).isTrue();
        assertThat(page(host, CURRENT, 0x08)[2] & 0x04).isZero();
        host.send(Cdbs.write10(0, 1), new byte[512]);
        assertThat(writes.get(writes.size() - 1).forceUnitAccess()).isTrue();
        assertThat(other.send(Cdbs.testUnitReady()).code()).as("others hear of it").isEqualTo("06/2A/01");
        assertThat(host.send(Cdbs.testUnitReady()).good()).as("not the changer").isTrue();
    }

    @Test
    void shouldRefuseChangingBitsThatAreNotChangeable() {
        Initiator host = host();
        byte[] control = page(host, CURRENT, 0x0A);
        control[3] ^= 0x02;
        Reply reply = select(host, control, false);
        assertThat(reply.code()).isEqualTo("05/26/00");
        assertThat(reply.senseKeySpecific() & 0xFFFF).as("field pointer into the parameter list").isEqualTo(4 + 3);
        byte[] wrongLength = Arrays.copyOf(page(host, CURRENT, 0x0A), 10);
        wrongLength[1] = 8;
        assertThat(select(host, wrongLength, false).code()).isEqualTo("05/26/00");
    }

    @Test
    void shouldSwitchToDescriptorSenseWithDSense() {
        Initiator host = host();
        byte[] control = page(host, CURRENT, 0x0A);
        control[2] |= 0x04;
        assertThat(select(host, control, false).good()).isTrue();
        Reply reply = host.send(Cdbs.read16(-1, 1));
        assertThat(reply.descriptorSense()).isTrue();
        assertThat(reply.code()).isEqualTo("05/21/00");
        assertThat(reply.information()).isEqualTo(-1L);
    }

    @Test
    void shouldWriteProtectWithSwp() {
        Initiator host = host();
        byte[] control = page(host, CURRENT, 0x0A);
        control[4] |= 0x08;
        assertThat(select(host, control, false).good()).isTrue();
        assertThat(host.send(Cdbs.modeSense6(CURRENT, 0x3F, 0, 255, true)).u8(2) & 0x80).isEqualTo(0x80);
        assertThat(host.send(Cdbs.read10(0, 1)).good()).isTrue();
        assertThat(host.send(Cdbs.write10(0, 1), new byte[512]).code()).isEqualTo("07/27/02");
        control[4] &= ~0x08;
        assertThat(select(host, control, false).good()).isTrue();
        assertThat(host.send(Cdbs.write10(0, 1), new byte[512]).good()).isTrue();
    }

    @Test
    void shouldKeepSavedPagesAcrossRestartAndRevertToThemOnReset() {
        Initiator host = host();
        byte[] caching = page(host, CURRENT, 0x08);
        caching[2] &= ~0x04;
        assertThat(select(host, caching, true).good()).isTrue();
        byte[] control = page(host, CURRENT, 0x0A);
        control[2] |= 0x04;
        assertThat(select(host, control, false).good()).isTrue();
        Initiator.await(host.port.logicalUnitReset(host.wireLun()).thenApply(r -> ScsiResponse.good(null))
                .toCompletableFuture());
        host.clearUnitAttentions();
        assertThat(page(host, CURRENT, 0x0A)[2] & 0x04).as("unsaved D_SENSE reverted").isZero();
        harness.close();
        harness = volatileCache();
        Initiator again = harness.initiator();
        assertThat(page(again, CURRENT, 0x08)[2] & 0x04).as("saved WCE 0 survives").isZero();
        assertThat(page(again, SAVED, 0x08)[2] & 0x04).isZero();
    }

    @Test
    void shouldRefuseBlockDescriptorWithAnotherBlockLength() {
        Initiator host = host();
        byte[] list = new byte[12];
        list[3] = 8;
        list[10] = 0x10;
        assertThat(host.send(Cdbs.modeSelect6(false, list.length), list).code()).isEqualTo("05/26/00");
        list[10] = 0x02;
        assertThat(host.send(Cdbs.modeSelect6(false, list.length), list).good()).isTrue();
    }
}
