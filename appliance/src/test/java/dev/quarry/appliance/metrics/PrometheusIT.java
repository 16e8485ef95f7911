package dev.quarry.appliance.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.quarry.appliance.Appliance;
import dev.quarry.appliance.testing.ApplianceFixture;
import dev.quarry.appliance.testing.ExternalTool;
import dev.quarry.iscsi.testing.LoginOptions;
import dev.quarry.iscsi.testing.TestInitiator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real Prometheus scrapes a running appliance after real iSCSI I/O: values come back through
 * Prometheus's HTTP API; every expression of every dashboard under {@code dashboards/} and every
 * alert rule under {@code alerts/} parses, evaluates to data, and names only metrics that the
 * appliance exports; the rules pass {@code promtool check rules} and their unit tests.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(300)
class PrometheusIT {

    private static final Path ROOT = Path.of(System.getProperty("user.dir")).getParent();
    private static final Path DASHBOARDS = ROOT.resolve("dashboards");
    private static final Path ALERTS = ROOT.resolve("alerts");
    private static final Pattern LABEL_VALUES = Pattern.compile("label_values\\(\\s*([a-zA-Z_:][a-zA-Z0-9_:]*)\\s*,\\s*(\\w+)\\s*\\)");
    /** Series that Prometheus makes itself for every target. */
    private static final Set<String> SYNTHETIC = Set.of("up");
    private static final int BLOCKS = 16;
    private static final String IDLE_HOST = "iqn.2026-11.test:idle-host";

    private Appliance appliance;
    private TestInitiator idleSession;
    private PrometheusServer prometheus;
    private Set<String> exported;

    @BeforeAll
    void startApplianceAndPrometheus(@TempDir Path data) throws Exception {
        appliance = MetricsEndpointIT.start(data.resolve("appliance"), MetricsSettings.defaults().withPerInitiator(true));
        MetricsEndpointIT.writeAndRead(appliance, MetricsEndpointIT.HOST, BLOCKS);
        // a session that stays logged in, so that the session gauges have series
        idleSession = TestInitiator.connect(appliance.iscsi().boundAddresses().get(0));
        idleSession.loginOrFail(LoginOptions.normal(MetricsEndpointIT.TARGET).withInitiatorName(IDLE_HOST));
        exported = PrometheusScrape.parse(MetricsEndpointIT.get(appliance).body()).names();
        prometheus = PrometheusServer.start(Files.createDirectories(data.resolve("prometheus")),
                "127.0.0.1:" + appliance.http().port(), ruleFiles());
        prometheus.awaitValue("up{job=\"" + PrometheusServer.JOB + "\"}", 1, Duration.ofSeconds(60));
        // rate() and increase() over the dashboards' 1m windows need a few samples
        prometheus.awaitValue("count_over_time(up{job=\"" + PrometheusServer.JOB + "\"}[1m]) >= bool 5", 1,
                Duration.ofSeconds(60));
    }

    @AfterAll
    void stop() throws Exception {
        try {
            if (prometheus != null) {
                prometheus.close();
            }
        } finally {
            if (idleSession != null) {
                idleSession.close();
            }
            if (appliance != null) {
                appliance.close();
            }
        }
    }

    @Test
    void shouldAnswerWithTheFiguresOfTheIoDoneThroughIscsi() throws Exception {
        assertThat(prometheus.single("quarry_lun_bytes_total{volume=\"vol\", op=\"write\"}")).isEqualTo(BLOCKS * 4096.0);
        assertThat(prometheus.single("quarry_lun_bytes_total{volume=\"vol\", op=\"read\"}")).isEqualTo(BLOCKS * 4096.0);
        assertThat(prometheus.single("quarry_lun_commands_total{volume=\"vol\", op=\"read\", result=\"good\"}"))
                .isEqualTo(BLOCKS);
        assertThat(prometheus.single("sum(quarry_lun_command_seconds_bucket{volume=\"vol\", op=\"write\", le=\"+Inf\"})"))
                .isEqualTo(BLOCKS);
        assertThat(prometheus.single("quarry_volume_mapped_bytes{volume=\"vol\"}")).isEqualTo(BLOCKS * 4096.0);
        assertThat(prometheus.single("quarry_pool_overcommit_ratio{pool=\"" + ApplianceFixture.POOL + "\"}")).isGreaterThan(1);
        assertThat(prometheus.single("quarry_initiator_bytes_total{initiator=\"" + MetricsEndpointIT.HOST + "\", op=\"write\"}"))
                .isEqualTo(BLOCKS * 4096.0);
        assertThat(prometheus.single("quarry_iscsi_logins_total{result=\"success\", type=\"normal\"}")).isEqualTo(2);
        assertThat(prometheus.single("quarry_iscsi_sessions{target=\"" + MetricsEndpointIT.TARGET + "\"}")).isEqualTo(1);
        assertThat(prometheus.single("quarry_initiator_sessions{initiator=\"" + IDLE_HOST + "\"}")).isEqualTo(1);
    }

    @Test
    void shouldRunEveryDashboardExpressionOnMetricsTheApplianceExports() throws Exception {
        List<Path> dashboards = jsonFiles(DASHBOARDS);
        assertThat(dashboards).as("dashboards under %s", DASHBOARDS).isNotEmpty();
        Map<String, String> failures = new TreeMap<>();
        int checked = 0;
        for (Path file : dashboards) {
            JsonNode dashboard = new ObjectMapper().readTree(file.toFile());
            for (JsonNode variable : dashboard.path("templating").path("list")) {
                String query = variable.path("query").isObject() ? variable.path("query").path("query").asText()
                        : variable.path("query").asText();
                Matcher m = LABEL_VALUES.matcher(query);
                if (m.matches()) {
                    check(file.getFileName() + " variable " + variable.path("name").asText(),
                            "group by (" + m.group(2) + ") (" + m.group(1) + ")", failures);
                    checked++;
                }
            }
            for (JsonNode target : targets(dashboard.path("panels"))) {
                check(file.getFileName() + " target " + target.path("expr").asText(), grafanaToPromql(target.path("expr").asText()),
                        failures);
                checked++;
            }
        }
        assertThat(checked).isGreaterThan(20);
        assertThat(failures).as("dashboard expressions that fail or name metrics the appliance does not export").isEmpty();
    }

    @Test
    void shouldLoadEveryAlertRuleWithNamesTheApplianceExports() throws Exception {
        Map<String, String> failures = new TreeMap<>();
        JsonNode rules = awaitRulesEvaluated();
        int count = 0;
        for (JsonNode group : rules.path("data").path("groups")) {
            for (JsonNode rule : group.path("rules")) {
                count++;
                String name = rule.path("name").asText();
                if (!"ok".equals(rule.path("health").asText())) {
                    failures.put(name, "health " + rule.path("health").asText() + ": " + rule.path("lastError").asText());
                }
                Set<String> unknown = unknownNames(rule.path("query").asText());
                if (!unknown.isEmpty()) {
                    failures.put(name, "names metrics the appliance does not export: " + unknown);
                }
            }
        }
        assertThat(count).as("rules loaded from %s", ALERTS).isGreaterThanOrEqualTo(9);
        assertThat(failures).isEmpty();
        Set<String> active = new TreeSet<>();
        prometheus.api("/api/v1/alerts").path("data").path("alerts").forEach(a -> active.add(a.path("labels").path("alertname").asText()));
        assertThat(active).as("the test pool is thin-overcommitted (1 GiB volume on a 256 MiB disk) and nothing else is wrong")
                .containsExactly("QuarryPoolOvercommitHigh");
    }

    @Test
    void shouldPassPromtoolCheckAndRuleUnitTests() throws Exception {
        for (Path rules : ruleFiles()) {
            ExternalTool.Result check = ExternalTool.run(Duration.ofSeconds(60), "promtool", "check", "rules", rules.toString());
            assertThat(check.succeeded()).as("%s", check).isTrue();
        }
        List<Path> tests = yamlFiles(ALERTS).stream().filter(p -> p.getFileName().toString().endsWith(".test.yml")).toList();
        assertThat(tests).isNotEmpty();
        for (Path test : tests) {
            ExternalTool.Result run = ExternalTool.run(Duration.ofSeconds(60), "promtool", "test", "rules", test.toString());
            assertThat(run.succeeded()).as("%s", run).isTrue();
        }
    }

    private void check(String what, String promql, Map<String, String> failures) throws IOException, InterruptedException {
        JsonNode answer = prometheus.query(promql);
        if (!"success".equals(answer.path("status").asText())) {
            failures.put(what, answer.path("errorType").asText() + ": " + answer.path("error").asText());
        } else if (answer.path("data").path("result").isEmpty()) {
            failures.put(what, "no data");
        }
        Set<String> unknown = unknownNames(promql);
        if (!unknown.isEmpty()) {
            failures.merge(what, "names metrics the appliance does not export: " + unknown, (a, b) -> a + "; " + b);
        }
    }

    private Set<String> unknownNames(String promql) {
        Set<String> unknown = new TreeSet<>(PromqlNames.of(promql));
        unknown.removeAll(exported);
        unknown.removeAll(SYNTHETIC);
        return unknown;
    }

    /** Grafana's variables replaced as Grafana would for "All" and a 1-second scrape interval. */
    static String grafanaToPromql(String expr) {
        return expr.replace("$__rate_interval", "1m").replace("$__interval", "15s").replace("$__range", "1h")
                .replace("$pool", ".*").replace("$volume", ".*");
    }

    private static List<JsonNode> targets(JsonNode panels) {
        List<JsonNode> targets = new ArrayList<>();
        for (JsonNode panel : panels) {
            panel.path("targets").forEach(t -> {
                if (t.hasNonNull("expr")) {
                    targets.add(t);
                }
            });
            targets.addAll(targets(panel.path("panels")));
        }
        return targets;
    }

    private JsonNode awaitRulesEvaluated() throws IOException, InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        JsonNode rules;
        do {
            rules = prometheus.api("/api/v1/rules");
            boolean allEvaluated = rules.path("data").path("groups").size() > 0;
            for (JsonNode group : rules.path("data").path("groups")) {
                for (JsonNode rule : group.path("rules")) {
                    allEvaluated &= !"unknown".equals(rule.path("health").asText());
                }
            }
            if (allEvaluated) {
                return rules;
            }
            Thread.sleep(250);
        } while (System.nanoTime() < deadline);
        return rules;
    }

    private static List<Path> ruleFiles() throws IOException {
        return yamlFiles(ALERTS).stream().filter(p -> !p.getFileName().toString().endsWith(".test.yml")).toList();
    }

    private static List<Path> yamlFiles(Path directory) throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            return files.filter(p -> p.toString().endsWith(".yml") || p.toString().endsWith(".yaml")).sorted().toList();
        }
    }

    private static List<Path> jsonFiles(Path directory) throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            return files.filter(p -> p.toString().endsWith(".json")).sorted().toList();
        }
    }
}
