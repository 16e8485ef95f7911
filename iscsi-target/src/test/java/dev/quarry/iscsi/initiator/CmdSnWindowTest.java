package dev.quarry.iscsi.initiator;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The initiator's command window in RFC 1982 arithmetic (RFC 7143 §4.2.2.1). */
class CmdSnWindowTest {

    @Test
    void shouldSendWhileCmdSnIsWithinMaxCmdSn() {
        CmdSnWindow window = new CmdSnWindow(10, 10, 11);
        assertThat(window.open()).isTrue();
        assertThat(window.take()).isEqualTo(10);
        assertThat(window.take()).isEqualTo(11);
        assertThat(window.open()).isFalse();
        assertThat(window.current()).isEqualTo(12);
        assertThat(window.unacknowledged()).isEqualTo(2);
    }

    @Test
    void shouldOpenWhenTheTargetAdvancesMaxCmdSn() {
        CmdSnWindow window = new CmdSnWindow(5, 5, 4);
        assertThat(window.open()).as("MaxCmdSN = ExpCmdSN - 1 closes the window").isFalse();
        assertThat(window.update(5, 6)).isTrue();
        assertThat(window.open()).isTrue();
    }

    @Test
    void shouldIgnoreStaleAndBogusUpdates() {
        CmdSnWindow window = new CmdSnWindow(100, 100, 120);
        assertThat(window.update(90, 110)).as("older than what we know").isFalse();
        assertThat(window.maxCmdSn()).isEqualTo(120);
        assertThat(window.update(130, 100)).as("MaxCmdSN < ExpCmdSN - 1 is ignored").isFalse();
        assertThat(window.expCmdSn()).isEqualTo(100);
        assertThat(window.update(110, 140)).isTrue();
        assertThat(window.expCmdSn()).isEqualTo(110);
    }

    @Test
    void shouldWrapAroundTwoToTheThirtyTwo() {
        CmdSnWindow window = new CmdSnWindow(0xFFFF_FFFE, 0xFFFF_FFFE, 1);
        assertThat(window.take()).isEqualTo(0xFFFF_FFFE);
        assertThat(window.take()).isEqualTo(0xFFFF_FFFF);
        assertThat(window.take()).isEqualTo(0);
        assertThat(window.take()).isEqualTo(1);
        assertThat(window.open()).isFalse();
        assertThat(window.update(2, 3)).isTrue();
        assertThat(window.open()).isTrue();
    }
}
