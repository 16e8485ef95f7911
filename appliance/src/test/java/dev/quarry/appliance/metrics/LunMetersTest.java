package dev.quarry.appliance.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quarry.iscsi.scsi.CommandKind;
import dev.quarry.iscsi.scsi.ItNexus;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

/**
 * The data-path cost of the per-LUN metrics: once warm, recording a command allocates nothing,
 * with per-initiator series off and on, and the figures add up.
 */
class LunMetersTest {

    private static final int CALLS = 200_000;
    private static final ItNexus NEXUS = new ItNexus("iqn.2026-11.test:host", 0x23d_0000_0001L, "iqn.2026-11.test:t", 1);

    @Test
    void shouldRecordACommandWithoutAllocating() {
        for (boolean perInitiator : new boolean[] {false, true}) {
            PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            InitiatorMeters initiators = new InitiatorMeters(registry, MetricsSettings.defaults().withPerInitiator(perInitiator));
            LunMeters meters = new LunMeters(registry, "vol", false, initiators);
            record(meters, CALLS);
            long before = allocatedBytes();
            long started = System.nanoTime();
            record(meters, CALLS);
            long nanosPerCall = (System.nanoTime() - started) / CALLS;
            long allocated = allocatedBytes() - before;
            assertThat(allocated).as("bytes allocated by %d calls (per-initiator %s; %d ns per call)", CALLS, perInitiator,
                    nanosPerCall).isLessThan(64 * 1024);
            assertThat(registry.get("quarry.lun").tags("op", "write").counter().count()).isEqualTo(CALLS * 4096.0);
            assertThat(registry.get("quarry.lun.command").tags("op", "read").timer().count()).isEqualTo(CALLS);
            registry.close();
        }
    }

    private static void record(LunMeters meters, int calls) {
        for (int i = 0; i < calls; i++) {
            meters.commandCompleted(NEXUS, (i & 1) == 0 ? CommandKind.READ : CommandKind.WRITE, 4096, 20_000 + i, true);
        }
    }

    private static long allocatedBytes() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
    }
}
