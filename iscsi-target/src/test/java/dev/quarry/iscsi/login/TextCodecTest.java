package dev.quarry.iscsi.login;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TextCodecTest {

    @Test
    void shouldDecodePairsInOrder() throws TextFormatException {
        Map<String, String> keys = TextCodec.decode(bytes("HeaderDigest=None,CRC32C\0MaxBurstLength=262144\0"));
        assertThat(keys).containsExactly(Map.entry("HeaderDigest", "None,CRC32C"), Map.entry("MaxBurstLength", "262144"));
    }

    @Test
    void shouldAcceptTrailingNulPadding() throws TextFormatException {
        assertThat(TextCodec.decode(bytes("A=1\0\0\0"))).containsExactly(Map.entry("A", "1"));
    }

    @Test
    void shouldAcceptEmptyValue() throws TextFormatException {
        assertThat(TextCodec.decode(bytes("SendTargets=\0"))).containsExactly(Map.entry("SendTargets", ""));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "A=1",
        "NoEquals\0",
        "=value\0",
        "A=1\0\0B=2\0",
        "A=1\0A=2\0",
        "Bad Key=1\0",
        "A=x\0B=1\0B=1\0",
    })
    void shouldRefuseMalformedText(String text) {
        assertThatThrownBy(() -> TextCodec.decode(bytes(text))).isInstanceOf(TextFormatException.class);
    }

    @Test
    void shouldRefuseKeyLongerThan63Bytes() {
        assertThatThrownBy(() -> TextCodec.decode(bytes("X-" + "k".repeat(62) + "=1\0")))
                .isInstanceOf(TextFormatException.class).hasMessageContaining("63");
    }

    @Test
    void shouldRefuseValueLongerThan255Bytes() {
        assertThatThrownBy(() -> TextCodec.decode(bytes("InitiatorAlias=" + "v".repeat(256) + "\0")))
                .isInstanceOf(TextFormatException.class).hasMessageContaining("255");
    }

    @Test
    void shouldAllowLongBinaryChapValues() throws TextFormatException {
        String challenge = "0x" + "ab".repeat(1024);
        assertThat(TextCodec.decode(bytes("CHAP_C=" + challenge + "\0"))).containsEntry("CHAP_C", challenge);
    }

    @Test
    void shouldRefuseInvalidUtf8() {
        byte[] text = {'A', '=', (byte) 0xC3, (byte) 0x28, 0};
        assertThatThrownBy(() -> TextCodec.decode(text)).isInstanceOf(TextFormatException.class).hasMessageContaining("UTF-8");
    }

    @Test
    void shouldEncodeWithNulTerminators() {
        byte[] encoded = TextCodec.encode(List.of(new KeyValue("TargetName", "iqn.x"), new KeyValue("TargetAlias", "é")));
        assertThat(encoded).isEqualTo("TargetName=iqn.x\0TargetAlias=é\0".getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void shouldBoundContinuedText() throws TextFormatException {
        TextAccumulator accumulator = new TextAccumulator(10);
        accumulator.append(io.netty.buffer.Unpooled.wrappedBuffer(bytes("A=12345")));
        assertThatThrownBy(() -> accumulator.append(io.netty.buffer.Unpooled.wrappedBuffer(bytes("6789")))).isInstanceOf(
                TextFormatException.class);
        assertThat(accumulator.isEmpty()).isTrue();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
