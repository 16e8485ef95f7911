package dev.quarry.block;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SanitizeRequestTest {

    private static final byte[] BLOCK = {0x0F, 0x33};
    private static final byte[] INVERTED = {(byte) 0xF0, (byte) 0xCC};

    @Test
    void shouldEndEveryInvertingOverwriteWithThePatternItself() {
        SanitizeRequest even = SanitizeRequest.overwrite(BLOCK, 2, true);
        assertThat(even.passPattern(0)).isEqualTo(INVERTED);
        assertThat(even.passPattern(1)).isEqualTo(BLOCK);
        SanitizeRequest odd = SanitizeRequest.overwrite(BLOCK, 3, true);
        assertThat(odd.passPattern(0)).isEqualTo(BLOCK);
        assertThat(odd.passPattern(1)).isEqualTo(INVERTED);
        assertThat(odd.passPattern(2)).isEqualTo(BLOCK);
        assertThat(SanitizeRequest.overwrite(BLOCK, 2, false).passPattern(0)).isEqualTo(BLOCK);
    }

    @Test
    void shouldReadZeroesAfterAnEraseAndThePatternAfterAnOverwrite() {
        assertThat(SanitizeRequest.blockErase().finalBlock(4)).isEqualTo(new byte[4]);
        assertThat(SanitizeRequest.overwrite(BLOCK, 1, false).finalBlock(2)).isEqualTo(BLOCK);
    }

    @Test
    void shouldRefuseImpossibleRequests() {
        assertThatThrownBy(() -> SanitizeRequest.overwrite(BLOCK, 0, false)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SanitizeRequest.overwrite(BLOCK, 32, false)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SanitizeRequest.overwrite(new byte[0], 1, false)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldKeepItsPatternToItself() {
        byte[] mine = BLOCK.clone();
        SanitizeRequest request = SanitizeRequest.overwrite(mine, 1, false);
        mine[0] = 0;
        request.pattern()[1] = 0;
        assertThat(request.pattern()).isEqualTo(BLOCK);
    }
}
