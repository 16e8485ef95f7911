package dev.quarry.appliance.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ConformanceSuiteTest {

    /** The shape of iscsi-test-cu's output, taken from a run against tgtd. */
    private static final String OUTPUT = String.join("\n",
            "Suite: GetLBAStatus",
            "  Test: Simple ...passed",
            "  Test: BeyondEol ...    [FAILED] GET_LBA_STATUS successful but should have failed",
            "FAILED",
            "    1. test_get_lba_status_beyond_eol.c:38  - CU_ASSERT_EQUAL(_r,0)",
            "  Test: UnmapSingle ...    [SKIPPED] Logical unit is fully provisioned. Skipping test",
            "passed",
            "Suite: ModeSense6",
            "  Test: Residuals ...passed    [FAILED] PRIN command: failed with sense.",
            "Suite: Read10",
            "  Test: Simple ...passed",
            "");

    @Test
    void shouldCountSkippedTestsAsSkippedNotPassed() {
        List<ConformanceSuite.TestResult> results = ConformanceSuite.parse(OUTPUT);
        ConformanceSuite.Report report = new ConformanceSuite.Report(results, OUTPUT, false);

        assertThat(results).extracting(ConformanceSuite.TestResult::name).containsExactly(
                "GetLBAStatus.Simple", "GetLBAStatus.BeyondEol", "GetLBAStatus.UnmapSingle",
                "ModeSense6.Residuals", "Read10.Simple");
        assertThat(report.failed()).extracting(ConformanceSuite.TestResult::name)
                .containsExactly("GetLBAStatus.BeyondEol", "ModeSense6.Residuals");
        assertThat(report.skipped()).extracting(ConformanceSuite.TestResult::skip)
                .containsExactly("Logical unit is fully provisioned. Skipping test");
        assertThat(report.summary()).isEqualTo("conformance: 2 passed, 2 failed, 1 skipped");
    }
}
