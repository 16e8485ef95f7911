package dev.quarry.appliance.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PromqlNamesTest {

    @Test
    void shouldFindTheSelectedMetricsAndNothingElse() {
        assertThat(PromqlNames.of("histogram_quantile(0.99, sum by (volume, op, le) "
                + "(rate(quarry_lun_command_seconds_bucket{volume=~\".*\", op!=\"other\"}[5m]))) > 0.05"))
                .containsExactly("quarry_lun_command_seconds_bucket");
        assertThat(PromqlNames.of("quarry_pool_allocated_bytes / on (pool) group_left quarry_pool_capacity_bytes > 1e-5"))
                .containsExactly("quarry_pool_allocated_bytes", "quarry_pool_capacity_bytes");
        assertThat(PromqlNames.of("sum without (instance) (increase(quarry_disk_io_errors_total[10m] offset 1h)) and up == 1"))
                .containsExactly("quarry_disk_io_errors_total", "up");
        assertThat(PromqlNames.of("quarry_disk_state{state=\"failed\"} == bool 1 unless quarry_typo_metric"))
                .containsExactly("quarry_disk_state", "quarry_typo_metric");
    }
}
