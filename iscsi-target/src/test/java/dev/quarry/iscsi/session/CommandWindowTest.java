package dev.quarry.iscsi.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.quarry.iscsi.session.CommandWindow.Position;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CommandWindowTest {

    @ParameterizedTest(name = "CmdSN {0} -> {1}")
    @CsvSource({"100, NEXT", "101, AHEAD", "103, AHEAD", "104, BEYOND", "99, BEHIND", "0, BEHIND", "0x80000064, BEYOND"})
    void shouldPlaceCommandsRelativeToTheWindow(long cmdSn, Position expected) {
        CommandWindow window = new CommandWindow(100, 4);
        assertThat(window.maxCmdSn()).isEqualTo(103);
        assertThat(window.position((int) cmdSn)).isEqualTo(expected);
    }

    @Test
    void shouldStopAdvancingMaxCmdSnWhileTheQueueIsFull() {
        CommandWindow window = new CommandWindow(0, 2);
        window.consume();
        window.taskStarted();
        window.consume();
        window.taskStarted();
        assertThat(window.expCmdSn()).isEqualTo(2);
        assertThat(window.maxCmdSn()).as("window closed: nothing beyond CmdSN 1").isEqualTo(1);
        assertThat(window.position(2)).isEqualTo(Position.BEYOND);
        window.taskFinished();
        assertThat(window.maxCmdSn()).isEqualTo(2);
        window.taskFinished();
        assertThat(window.maxCmdSn()).isEqualTo(3);
    }

    @Test
    void shouldNeverMoveMaxCmdSnBackwards() {
        CommandWindow window = new CommandWindow(10, 8);
        List<Integer> seen = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            window.consume();
            window.taskStarted();
            seen.add(window.maxCmdSn());
        }
        assertThat(seen).allMatch(max -> max == 17);
    }

    @Test
    void shouldWrapAroundTheSerialSpace() {
        CommandWindow window = new CommandWindow(0xFFFF_FFFE, 4);
        assertThat(window.maxCmdSn()).isEqualTo(1);
        assertThat(window.position(0)).isEqualTo(Position.AHEAD);
        window.consume();
        window.consume();
        assertThat(window.expCmdSn()).isZero();
        assertThat(window.position(0)).isEqualTo(Position.NEXT);
        assertThat(window.position(0xFFFF_FFFF)).isEqualTo(Position.BEHIND);
        assertThat(window.maxCmdSn()).isEqualTo(3);
    }

    @Test
    void shouldRefuseFinishingMoreTasksThanStarted() {
        assertThatThrownBy(() -> new CommandWindow(0, 1).taskFinished()).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void shouldHoldAheadCommandsUntilTheGapFills() {
        CommandWindow window = new CommandWindow(5, 8);
        CommandSequencer<String> sequencer = new CommandSequencer<>(window);
        List<String> processed = new ArrayList<>();
        assertThat(sequencer.offer(7, "c", processed::add)).isEqualTo(CommandSequencer.Outcome.HELD);
        assertThat(sequencer.offer(6, "b", processed::add)).isEqualTo(CommandSequencer.Outcome.HELD);
        assertThat(sequencer.offer(7, "c again", processed::add)).isEqualTo(CommandSequencer.Outcome.IGNORED);
        assertThat(processed).isEmpty();
        assertThat(sequencer.offer(5, "a", processed::add)).isEqualTo(CommandSequencer.Outcome.PROCESSED);
        assertThat(processed).containsExactly("a", "b", "c");
        assertThat(window.expCmdSn()).isEqualTo(8);
        assertThat(sequencer.offer(7, "late duplicate", processed::add)).isEqualTo(CommandSequencer.Outcome.IGNORED);
        assertThat(sequencer.offer(100, "beyond", processed::add)).isEqualTo(CommandSequencer.Outcome.IGNORED);
        assertThat(sequencer.heldCount()).isZero();
    }

    @Test
    void shouldHandHeldRequestsBackOnClear() {
        CommandSequencer<String> sequencer = new CommandSequencer<>(new CommandWindow(0, 4));
        sequencer.offer(2, "x", s -> { });
        List<String> released = new ArrayList<>();
        sequencer.clear(released::add);
        assertThat(released).containsExactly("x");
    }
}
