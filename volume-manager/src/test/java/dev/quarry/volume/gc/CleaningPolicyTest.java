package dev.quarry.volume.gc;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CleaningPolicyTest {

    private final CleaningPolicy policy = new CleaningPolicy(new GcConfig(200, 0.25, 0.25, 0.97, 4, 20_000));

    @ParameterizedTest(name = "{0} of 100 free, waiting {1}: live limit {2}, budget {3}")
    @CsvSource({
            "60, false, 0.25, 4",
            "25, false, 0.25, 4",
            "24, false, 0.28, 4",
            "13, false, 0.61, 12",
            "2, false, 0.94, 23",
            "1, false, 0.97, 24",
            "0, false, 0.97, 25",
            "60, true, 0.97, 4",
    })
    void shouldRaiseUrgencyAsFreeSegmentsFall(int free, boolean waiting, double liveLimit, int budget) {
        CleaningPolicy.Plan plan = policy.plan(free, 100, 1, waiting);
        assertThat(plan.liveLimit()).isCloseTo(liveLimit, org.assertj.core.data.Offset.offset(0.01));
        assertThat(plan.budget()).isEqualTo(budget);
    }
}
