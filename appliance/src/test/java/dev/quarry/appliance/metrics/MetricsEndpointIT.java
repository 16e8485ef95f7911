package dev.quarry.appliance.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quarry.appliance.Appliance;
import dev.quarry.appliance.target.LunMapping;
import dev.quarry.appliance.target.TargetDefinition;
import dev.quarry.appliance.testing.ApplianceFixture;
import dev.quarry.iscsi.testing.LoginOptions;
import dev.quarry.iscsi.testing.TestInitiator;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code GET /metrics} of a running appliance after real iSCSI I/O: the Prometheus content type,
 * the per-LUN counters with the bytes moved, the latency histogram buckets, the storage gauges,
 * and per-initiator series only when asked for.
 */
class MetricsEndpointIT {

    static final String TARGET = "iqn.2026-11.dev.quarry:metrics";
    static final String HOST = "iqn.2026-11.test:metrics-host";

    @TempDir
    Path data;

    @Test
    void shouldExportLunStorageAndTransportFiguresAfterIo() throws Exception {
        try (Appliance appliance = start(data, MetricsSettings.defaults())) {
            writeAndRead(appliance, HOST, 16);
            HttpResponse<String> response = get(appliance);
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.headers().firstValue("Content-Type")).hasValue(MetricsRoute.CONTENT_TYPE);
            PrometheusScrape scrape = PrometheusScrape.parse(response.body());
            assertThat(scrape.value("quarry_lun_bytes_total", "volume", "vol", "access", "rw", "op", "write"))
                    .isEqualTo(16 * 4096.0);
            assertThat(scrape.value("quarry_lun_bytes_total", "volume", "vol", "access", "rw", "op", "read"))
                    .isEqualTo(16 * 4096.0);
            assertThat(scrape.value("quarry_lun_commands_total", "volume", "vol", "op", "write", "result", "good"))
                    .isEqualTo(16.0);
            assertThat(scrape.value("quarry_lun_command_seconds_bucket", "volume", "vol", "op", "read", "le", "+Inf"))
                    .isEqualTo(16.0);
            assertThat(scrape.labelValues("quarry_lun_command_seconds_bucket", "le")).contains("1.0E-5", "10.0");
            assertThat(scrape.value("quarry_lun_queue_depth", "volume", "vol")).isZero();
            double capacity = scrape.value("quarry_pool_capacity_bytes", "pool", ApplianceFixture.POOL);
            assertThat(capacity).as("the disk less its label segment").isBetween(128.0 * (1 << 20), 256.0 * (1 << 20));
            assertThat(scrape.value("quarry_pool_allocated_bytes", "pool", ApplianceFixture.POOL))
                    .as("16 chunk records, header included").isBetween(16 * 4096.0, 16 * 4160.0);
            assertThat(scrape.value("quarry_pool_physical_used_bytes", "pool", ApplianceFixture.POOL)).isPositive();
            assertThat(scrape.value("quarry_pool_provisioned_bytes", "pool", ApplianceFixture.POOL)).isEqualTo(1024.0 * (1 << 20));
            assertThat(scrape.value("quarry_pool_overcommit_ratio", "pool", ApplianceFixture.POOL))
                    .isEqualTo(1024.0 * (1 << 20) / capacity);
            assertThat(scrape.value("quarry_volume_mapped_bytes", "volume", "vol")).isEqualTo(16 * 4096.0);
            assertThat(scrape.value("quarry_disk_state", "state", "online")).isEqualTo(1.0);
            assertThat(scrape.value("quarry_disk_state", "state", "failed")).isZero();
            assertThat(scrape.value("quarry_iscsi_logins_total", "result", "success", "type", "normal")).isEqualTo(1.0);
            assertThat(scrape.value("quarry_iscsi_sessions", "target", TARGET)).isZero();
            assertThat(scrape.names()).contains("quarry_build_info", "quarry_cleaner_reclaimed_bytes_total",
                    "quarry_disk_read_bytes_total", "quarry_disk_io_errors_total", "quarry_disk_info", "quarry_iscsi_connections");
            assertThat(scrape.names()).noneMatch(name -> name.startsWith("quarry_initiator_"));
        }
    }

    @Test
    void shouldExportPerInitiatorSeriesOnlyWhenEnabledAndCapTheirNumber() throws Exception {
        try (Appliance appliance = start(data, MetricsSettings.defaults().withPerInitiator(true).withMaxInitiators(1))) {
            writeAndRead(appliance, HOST, 2);
            writeAndRead(appliance, HOST + "-second", 3);
            PrometheusScrape scrape = PrometheusScrape.parse(get(appliance).body());
            assertThat(scrape.value("quarry_initiator_bytes_total", "initiator", HOST, "op", "write")).isEqualTo(2 * 4096.0);
            assertThat(scrape.value("quarry_initiator_bytes_total", "initiator", InitiatorMeters.OVERFLOW, "op", "write"))
                    .isEqualTo(3 * 4096.0);
            assertThat(scrape.labelValues("quarry_initiator_commands_total", "initiator"))
                    .containsExactlyInAnyOrder(HOST, InitiatorMeters.OVERFLOW);
        }
    }

    /** An appliance with pool {@link ApplianceFixture#POOL} (256 MiB), volume {@code vol} (1 GiB) as LUN 0 of {@link #TARGET}. */
    static Appliance start(Path data, MetricsSettings settings) throws Exception {
        return Appliance.start(ApplianceFixture.settings(data), settings, (volumes, targets) -> {
            ApplianceFixture.pool(volumes, data, 256L << 20);
            ApplianceFixture.volume(volumes, "vol", 1L << 30);
            targets.create(TargetDefinition.open(TARGET).withLun(new LunMapping(0, "vol", false)));
        });
    }

    /** Logs in as {@code initiator}, writes then reads {@code blocks} 4 KiB blocks one command each, logs out. */
    static void writeAndRead(Appliance appliance, String initiator, int blocks) {
        byte[] block = new byte[4096];
        Arrays.fill(block, (byte) 0x3C);
        try (TestInitiator host = TestInitiator.connect(appliance.iscsi().boundAddresses().get(0))) {
            host.loginOrFail(LoginOptions.normal(TARGET).withInitiatorName(initiator));
            for (int i = 0; i < 4 && host.scsi().testUnitReady(0).status() != 0; i++) {
                continue;
            }
            for (int i = 0; i < blocks; i++) {
                assertThat(host.scsi().write10(0, i * 8L, block, 512).status()).isZero();
            }
            for (int i = 0; i < blocks; i++) {
                assertThat(host.scsi().read10(0, i * 8L, 8, 512).data()).isEqualTo(block);
            }
        }
    }

    static HttpResponse<String> get(Appliance appliance) throws Exception {
        try (HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()) {
            return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + appliance.http().port() + "/metrics"))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        }
    }
}
