package dev.quarry.appliance.metrics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real Prometheus server ({@code /usr/bin/prometheus}, Debian package {@code prometheus}) for a
 * test: a generated configuration that scrapes one target every second, storage in the test's
 * folder, listening on loopback on the first free port of 39090-39099. Stopped by its PID
 * (SIGTERM, then SIGKILL after 15 s); never outlives the test.
 */
final class PrometheusServer implements AutoCloseable {

    static final String BINARY = "/usr/bin/prometheus";
    static final String JOB = "quarry";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration READY_LIMIT = Duration.ofSeconds(60);

    private final Process process;
    private final int port;
    private final Path log;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private PrometheusServer(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    /** Starts Prometheus scraping {@code target} ({@code host:port}, path /metrics) and evaluating {@code ruleFiles}; waits until ready. */
    static PrometheusServer start(Path directory, String target, List<Path> ruleFiles) throws IOException, InterruptedException {
        if (!Files.isExecutable(Path.of(BINARY))) {
            throw new IllegalStateException(BINARY + " is missing: apt-get install prometheus (bin/test installs it)");
        }
        StringBuilder config = new StringBuilder()
                .append("global:\n  scrape_interval: 1s\n  scrape_timeout: 1s\n  evaluation_interval: 1s\n");
        if (!ruleFiles.isEmpty()) {
            config.append("rule_files:\n");
            ruleFiles.forEach(f -> config.append("  - '").append(f.toAbsolutePath()).append("'\n"));
        }
        config.append("scrape_configs:\n  - job_name: ").append(JOB).append("\n    metrics_path: /metrics\n")
                .append("    static_configs:\n      - targets: ['").append(target).append("']\n");
        Path configFile = Files.writeString(directory.resolve("prometheus.yml"), config);
        int port = freePort();
        Path log = directory.resolve("prometheus.log");
        Process process = new ProcessBuilder(BINARY, "--config.file=" + configFile,
                "--storage.tsdb.path=" + Files.createDirectories(directory.resolve("tsdb")),
                "--web.listen-address=127.0.0.1:" + port, "--storage.tsdb.retention.time=1h", "--log.level=warn")
                .redirectErrorStream(true).redirectOutput(log.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile())).start();
        PrometheusServer server = new PrometheusServer(process, port, log);
        try {
            server.awaitReady();
            return server;
        } catch (IOException | InterruptedException | RuntimeException e) {
            server.close();
            throw e;
        }
    }

    private static int freePort() throws IOException {
        for (int port = 39090; port <= 39099; port++) {
            try (ServerSocket probe = new ServerSocket()) {
                probe.bind(new InetSocketAddress("127.0.0.1", port));
                return port;
            } catch (IOException inUse) {
                continue;
            }
        }
        throw new IOException("no free port in 39090-39099 for Prometheus");
    }

    private void awaitReady() throws IOException, InterruptedException {
        long deadline = System.nanoTime() + READY_LIMIT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("prometheus exited with " + process.exitValue() + ":\n" + Files.readString(log));
            }
            try {
                if (get("/-/ready").statusCode() == 200) {
                    return;
                }
            } catch (IOException notListeningYet) {
                Thread.sleep(200);
                continue;
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("prometheus not ready within " + READY_LIMIT + ":\n" + Files.readString(log));
    }

    /** The answer of an instant query ({@code /api/v1/query}); the JSON document, whatever its status. */
    JsonNode query(String promql) throws IOException, InterruptedException {
        return JSON.readTree(get("/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8)).body());
    }

    /** The value of an instant query that must return exactly one sample. */
    double single(String promql) throws IOException, InterruptedException {
        JsonNode answer = query(promql);
        JsonNode result = answer.path("data").path("result");
        if (!"success".equals(answer.path("status").asText()) || result.size() != 1) {
            throw new AssertionError("query " + promql + " did not return one sample: " + answer);
        }
        return Double.parseDouble(result.get(0).path("value").get(1).asText());
    }

    /** Polls {@code promql} until it returns one sample equal to {@code expected}, for at most {@code limit}. */
    void awaitValue(String promql, double expected, Duration limit) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        JsonNode last = null;
        while (System.nanoTime() < deadline) {
            last = query(promql);
            JsonNode result = last.path("data").path("result");
            if (result.size() == 1 && Double.parseDouble(result.get(0).path("value").get(1).asText()) == expected) {
                return;
            }
            Thread.sleep(250);
        }
        throw new AssertionError("query " + promql + " never returned " + expected + " within " + limit + "; last: " + last);
    }

    /** A JSON document of the HTTP API, e.g. {@code /api/v1/rules}. */
    JsonNode api(String path) throws IOException, InterruptedException {
        return JSON.readTree(get(path).body());
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Stops the server: SIGTERM, then SIGKILL if it has not exited within 15 s. */
    @Override
    public void close() throws InterruptedException {
        client.close();
        process.destroy();
        if (!process.waitFor(15, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
