package dev.quarry.iscsi.initiator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quarry.iscsi.scsi.AscAscq;
import dev.quarry.iscsi.scsi.SenseData;
import dev.quarry.iscsi.scsi.SenseKey;
import dev.quarry.iscsi.testing.PduFixtures;
import io.netty.buffer.Unpooled;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Sense data decoding (SPC-4 §4.5), checked against what the target's own encoder writes. */
class SenseParserTest {

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void shouldDecodeWhatTheTargetEncodes(boolean descriptorFormat) {
        SenseData medium = new SenseData(SenseKey.MEDIUM_ERROR, 0x11, 0x00, 5003, true, -1);
        assertThat(SenseParser.parse(medium.encode(descriptorFormat))).isEqualTo(medium);
        SenseData attention = SenseData.of(SenseKey.UNIT_ATTENTION, AscAscq.CAPACITY_DATA_HAS_CHANGED);
        assertThat(SenseParser.parse(attention.encode(descriptorFormat))).isEqualTo(attention);
    }

    @Test
    void shouldKeepSixtyFourBitInformationInDescriptorFormat() {
        SenseData far = new SenseData(SenseKey.MEDIUM_ERROR, 0x11, 0x00, 0x1_0000_0005L, true, -1);
        assertThat(SenseParser.parse(far.encode(true)).information()).isEqualTo(0x1_0000_0005L);
    }

    @Test
    void shouldUnwrapTheSenseSegmentOfATgtdResponse() {
        byte[] pdu = PduFixtures.load("scsi-response-unit-attention");
        int length = (pdu[5] & 0xFF) << 16 | (pdu[6] & 0xFF) << 8 | pdu[7] & 0xFF;
        SenseData sense = SenseParser.ofSegment(Unpooled.wrappedBuffer(pdu, 48, length));
        assertThat(sense.senseKey()).isEqualTo(SenseKey.UNIT_ATTENTION);
        assertThat(sense.asc()).isEqualTo(0x29);
    }

    @Test
    void shouldAnswerNullForNoOrUnknownSense() {
        assertThat(SenseParser.parse(new byte[0])).isNull();
        assertThat(SenseParser.parse(HexFormat.of().parseHex("7f000000"))).isNull();
        assertThat(SenseParser.ofSegment(Unpooled.wrappedBuffer(new byte[1]))).isNull();
        assertThat(SenseParser.parse(HexFormat.of().parseHex("700005")).senseKey()).isEqualTo(SenseKey.ILLEGAL_REQUEST);
    }
}
