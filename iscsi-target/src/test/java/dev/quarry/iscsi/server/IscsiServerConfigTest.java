package dev.quarry.iscsi.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class IscsiServerConfigTest {

    /**
     * Regression: with a 15 s ping answered within 15 s, libiscsi's suite (synchronous, sleeping
     * 60 s between TEST UNIT READY polls while a sanitize ran) lost its connection at every poll
     * and polled forever. A silent initiator must survive a minute between commands.
     */
    @Test
    void shouldLetASynchronousInitiatorStaySilentForAMinuteBetweenCommands() {
        IscsiServerConfig defaults = IscsiServerConfig.defaults();
        Duration silenceBeforeDrop = defaults.nopInterval().plus(defaults.nopTimeout());
        assertThat(silenceBeforeDrop).isGreaterThan(Duration.ofSeconds(75));
        assertThat(defaults.nopInterval()).isLessThan(Duration.ofSeconds(60));
    }
}
