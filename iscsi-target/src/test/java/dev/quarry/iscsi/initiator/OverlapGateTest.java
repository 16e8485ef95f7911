package dev.quarry.iscsi.initiator;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Ordering of overlapping operations: writes in issue order, reads shared, disjoint ranges free. */
class OverlapGateTest {

    private final OverlapGate gate = new OverlapGate();
    private final List<String> started = new ArrayList<>();
    private final List<OverlapGate.Entry> held = new ArrayList<>();

    private void acquire(String name, long lba, long blocks, boolean write) {
        gate.acquire(lba, blocks, write, entry -> {
            started.add(name);
            held.add(entry);
        });
    }

    @Test
    void shouldHoldAnOverlappingWriteUntilTheEarlierOneEnds() {
        acquire("w1", 0, 8, true);
        acquire("w2", 4, 8, true);
        acquire("other", 100, 8, true);
        assertThat(started).containsExactly("w1", "other");
        held.get(0).release();
        assertThat(started).containsExactly("w1", "other", "w2");
    }

    @Test
    void shouldShareRangesBetweenReadsButNotWithWrites() {
        acquire("r1", 0, 8, false);
        acquire("r2", 0, 8, false);
        acquire("w", 0, 8, true);
        acquire("r3", 7, 1, false);
        assertThat(started).as("r3 may not pass the write before it").containsExactly("r1", "r2");
        held.get(0).release();
        assertThat(started).containsExactly("r1", "r2");
        held.get(1).release();
        assertThat(started).containsExactly("r1", "r2", "w");
        held.get(2).release();
        assertThat(started).containsExactly("r1", "r2", "w", "r3");
        held.get(3).release();
        held.get(3).release();
        assertThat(gate.size()).isZero();
    }

    @Test
    void shouldKeepTheIssueOrderOfAChainOfOverlaps() {
        acquire("a", 0, 4, true);
        acquire("b", 2, 4, true);
        acquire("c", 1, 2, true);
        held.get(0).release();
        assertThat(started).containsExactly("a", "b");
        held.get(1).release();
        assertThat(started).containsExactly("a", "b", "c");
    }
}
