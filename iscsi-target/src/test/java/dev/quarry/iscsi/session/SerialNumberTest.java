package dev.quarry.iscsi.session;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SerialNumberTest {

    @ParameterizedTest(name = "{0} < {1} is {2}")
    @CsvSource({
        "0, 1, true",
        "1, 0, false",
        "5, 5, false",
        "0xFFFFFFFF, 0, true",
        "0, 0xFFFFFFFF, false",
        "0xFFFFFFF0, 0x10, true",
        "0x7FFFFFFF, 0x80000000, true",
        "0, 0x7FFFFFFF, true",
        "0, 0x80000000, false",
        "0x80000000, 0, false",
    })
    void shouldCompareWithRfc1982Arithmetic(long s1, long s2, boolean less) {
        assertThat(SerialNumber.lessThan((int) s1, (int) s2)).isEqualTo(less);
    }

    @ParameterizedTest(name = "{0} > {1} is {2}")
    @CsvSource({"1, 0, true", "0, 0xFFFFFFFF, true", "0x10, 0xFFFFFFF0, true", "0x80000000, 0, false", "3, 3, false"})
    void shouldOrderGreaterAcrossTheWrap(long s1, long s2, boolean greater) {
        assertThat(SerialNumber.greaterThan((int) s1, (int) s2)).isEqualTo(greater);
    }

    @ParameterizedTest(name = "{0} in [{1}, {2}] is {3}")
    @CsvSource({"5, 5, 10, true", "10, 5, 10, true", "11, 5, 10, false", "4, 5, 10, false",
        "0, 0xFFFFFFFE, 2, true", "3, 0xFFFFFFFE, 2, false", "0xFFFFFFFD, 0xFFFFFFFE, 2, false"})
    void shouldTellWindowMembershipAcrossTheWrap(long sn, long low, long high, boolean inside) {
        assertThat(SerialNumber.inWindow((int) sn, (int) low, (int) high)).isEqualTo(inside);
    }

    @ParameterizedTest
    @CsvSource({"1, 2, 2", "0xFFFFFFFF, 0, 0", "0, 0xFFFFFFFF, 0", "0, 0x80000000, 0"})
    void shouldPickTheLaterNumber(long a, long b, long max) {
        assertThat(SerialNumber.max((int) a, (int) b)).isEqualTo((int) max);
    }
}
