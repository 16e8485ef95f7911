package dev.quarry.iscsi.scsi;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SenseDataTest {

    @Test
    void shouldEncodeFixedFormatWithInformationAndFieldPointer() {
        byte[] sense = SenseData.of(SenseKey.ILLEGAL_REQUEST, AscAscq.INVALID_FIELD_IN_CDB)
                .withInformation(0x01020304L).withFieldPointer(true, 2, 7).encode(false);
        assertThat(sense).containsExactly(0xF0, 0, 0x05, 0x01, 0x02, 0x03, 0x04, 10, 0, 0, 0, 0, 0x24, 0, 0, 0xCF, 0, 2);
    }

    @Test
    void shouldClearValidWhenInformationDoesNotFitFixedFormat() {
        byte[] sense = SenseData.of(SenseKey.ILLEGAL_REQUEST, AscAscq.LBA_OUT_OF_RANGE).withInformation(-1).encode(false);
        assertThat(sense[0] & 0x80).isZero();
    }

    @Test
    void shouldEncodeDescriptorFormatWithInformationAndSenseKeySpecificDescriptors() {
        byte[] sense = SenseData.of(SenseKey.NOT_READY, AscAscq.SANITIZE_IN_PROGRESS).withInformation(-1).withProgress(0x8000)
                .encode(true);
        assertThat(sense).hasSize(28);
        assertThat(sense).startsWith(0x72, 0x02, 0x04, 0x1B, 0, 0, 0, 20, 0x00, 0x0A, 0x80, 0, -1, -1, -1, -1, -1, -1, -1, -1);
        assertThat(sense[20]).isEqualTo((byte) 0x02);
        assertThat(sense[24]).isEqualTo((byte) 0x80);
        assertThat(sense[25]).isEqualTo((byte) 0x80);
    }

    @Test
    void shouldEncodeMinimalDescriptorFormat() {
        assertThat(SenseData.of(SenseKey.UNIT_ATTENTION, AscAscq.CAPACITY_DATA_HAS_CHANGED).encode(true))
                .containsExactly(0x72, 0x06, 0x2A, 0x09, 0, 0, 0, 0);
    }

    @ParameterizedTest
    @CsvSource({"0, 0x0000000000000000", "255, 0x00FF000000000000", "256, 0x4100000000000000", "16383, 0x7FFF000000000000"})
    void shouldEncodeAndDecodeLuns(int lun, String wire) {
        long encoded = Long.parseUnsignedLong(wire.substring(2), 16);
        assertThat(Lun.encode(lun)).isEqualTo(encoded);
        assertThat(Lun.decode(encoded)).isEqualTo(lun);
    }

    @Test
    void shouldNotDecodeMultiLevelOrOtherAddressingMethods() {
        assertThat(Lun.decode(0x0001_0001_0000_0000L)).isEqualTo(-1);
        assertThat(Lun.decode(0x8001_0000_0000_0000L)).isEqualTo(-1);
        assertThat(Lun.decode(0x0101_0000_0000_0000L)).as("bus identifier 1").isEqualTo(-1);
    }

    @Test
    void shouldRoundTripTransportIds() {
        TransportId port = new TransportId("iqn.2026-01.dev.quarry:host", 0x80F1E8410000L);
        byte[] encoded = port.encode();
        assertThat(encoded.length % 4).isZero();
        assertThat(encoded[0]).isEqualTo((byte) 0x45);
        assertThat(TransportId.decode(encoded, 0, encoded.length).id()).isEqualTo(port);
        TransportId device = new TransportId("iqn.2026-01.dev.quarry:host", Registration.ANY_ISID);
        byte[] deviceEncoded = device.encode();
        assertThat(deviceEncoded[0]).isEqualTo((byte) 0x05);
        assertThat(TransportId.decode(deviceEncoded, 0, deviceEncoded.length).id()).isEqualTo(device);
    }
}
