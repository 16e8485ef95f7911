package dev.quarry.appliance.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ByteSizeTest {

    @ParameterizedTest
    @CsvSource({
        "4096, 4096",
        "8GiB, 8589934592",
        "8G, 8589934592",
        "8g, 8589934592",
        "512MiB, 536870912",
        "100GB, 100000000000",
        "1KB, 1000",
        "1 KiB, 1024",
        "2TiB, 2199023255552",
    })
    void shouldParseSizesAsAdminsWriteThem(String text, long bytes) {
        assertThat(ByteSize.parse(text)).isEqualTo(bytes);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "GiB", "-1", "1.5GiB", "12XB", "1iB", "99999999999PiB"})
    void shouldRefuseWhatIsNotASize(String text) {
        assertThatThrownBy(() -> ByteSize.parse(text)).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @CsvSource({"8589934592, 8GiB", "1536, 1536B", "1048576, 1MiB", "0, 0B"})
    void shouldFormatAsShortestExactBinarySize(long bytes, String text) {
        assertThat(ByteSize.format(bytes)).isEqualTo(text);
    }
}
