package dev.quarry.iscsi.initiator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.quarry.iscsi.login.ChapCredentials;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** What a remote LUN is configured with, and how its identity is read. */
class RemoteTargetTest {

    @Test
    void shouldNeverShowTheSecret() {
        RemoteTarget target = RemoteTarget.of(InetSocketAddress.createUnresolved("array7", 3260), "iqn.2001-04.com.example:d1", 3)
                .withChap(ChapCredentials.mutual("node1", "initiator-secret-1", "array7", "target-secret-22"));
        assertThat(target.toString()).contains("array7:3260/iqn.2001-04.com.example:d1/3").contains("node1")
                .doesNotContain("initiator-secret-1").doesNotContain("target-secret-22");
        assertThat(target.describe()).isEqualTo("array7:3260/iqn.2001-04.com.example:d1/3");
    }

    @Test
    void shouldCheckWhatItIsGiven() {
        InetSocketAddress portal = new InetSocketAddress("127.0.0.1", 3260);
        assertThatThrownBy(() -> RemoteTarget.of(portal, "", 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RemoteTarget.of(portal, "iqn.x", 16384)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> InitiatorConfig.defaults("host1")).isInstanceOf(IllegalArgumentException.class);
        InitiatorConfig config = InitiatorConfig.defaults("iqn.2026-11.dev.quarry:x");
        assertThatThrownBy(() -> config.toBuilder().maxTransferBytes(5000).build()).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> config.toBuilder().dataLengths(4096, 8192, 16384, 1).build())
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> config.toBuilder().recovery(Duration.ZERO, Duration.ofMillis(1), Duration.ofMillis(2)).build())
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldPickTheLongestLogicalUnitNaaDesignator() {
        byte[] tgtdPage = HexFormat.of().parseHex("00830030"
                + "01030008" + "0102030405060708"
                + "01030010" + "60000000000000000e00000000010001"
                + "02010010" + "49455420202020203030303130303031");
        assertThat(HexFormat.of().formatHex(LunProbe.logicalUnitNaa(tgtdPage))).isEqualTo("60000000000000000e00000000010001");
        byte[] portOnly = HexFormat.of().parseHex("00830014" + "01130010" + "60000000000000000e00000000010001");
        assertThat(LunProbe.logicalUnitNaa(portOnly)).as("a target port designator is not the LUN's").isNull();
        byte[] truncated = HexFormat.of().parseHex("00830010" + "01030010" + "6000");
        assertThat(LunProbe.logicalUnitNaa(truncated)).isNull();
    }

    @Test
    void shouldRecogniseTheSameLunByNaaOrBySerial() {
        byte[] naa = HexFormat.of().parseHex("600a5152000000010102030405060708");
        RemoteLunIdentity one = new RemoteLunIdentity("QUARRY", "VIRTUAL DISK", "0100", "S1", naa);
        assertThat(one.sameLun(new RemoteLunIdentity("QUARRY", "VIRTUAL DISK", "0200", "S1", naa.clone()))).isTrue();
        byte[] other = naa.clone();
        other[15] = 9;
        assertThat(one.sameLun(new RemoteLunIdentity("QUARRY", "VIRTUAL DISK", "0100", "S1", other))).isFalse();
        RemoteLunIdentity noNaa = new RemoteLunIdentity("IET", "VIRTUAL-DISK", "0001", "beaf11", null);
        assertThat(noNaa.sameLun(new RemoteLunIdentity("IET", "VIRTUAL-DISK", "0001", "beaf11", null))).isTrue();
        assertThat(noNaa.sameLun(new RemoteLunIdentity("IET", "VIRTUAL-DISK", "0001", "beaf12", null))).isFalse();
        assertThat(one.deviceId()).isEqualTo("naa.600a5152000000010102030405060708");
    }
}
