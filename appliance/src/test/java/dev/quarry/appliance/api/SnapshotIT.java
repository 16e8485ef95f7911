package dev.quarry.appliance.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quarry.admin.http.Problem;
import dev.quarry.appliance.Appliance;
import dev.quarry.appliance.testing.ApiTester;
import dev.quarry.appliance.testing.ApplianceFixture;
import dev.quarry.appliance.testing.ConformanceSuite;
import dev.quarry.appliance.testing.ExternalTool;
import dev.quarry.volume.disk.FileDisk;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Snapshots and clones end to end with real parts: a pool on two file disks and a volume made
 * over REST, data written and read back through iSCSI by QEMU's block layer (qemu-img), a
 * snapshot exported as a read-only LUN that still reads the old data after the volume was
 * overwritten, a clone and a rollback checked through iSCSI, deletions as 202 jobs, the snapshot
 * gauges on /metrics, the 400/404/409 problem details, and libiscsi's ReadOnly tests against a
 * snapshot LUN.
 */
class SnapshotIT {

    private static final String TARGET = "iqn.2026-11.dev.quarry:snap";
    private static final String LUNS = "/api/v1/targets/" + TARGET + "/luns/";
    private static final String VOLUME = "/api/v1/volumes/sv";
    private static final String SNAPSHOTS = VOLUME + "/snapshots";
    private static final long IMAGE_BYTES = 24L << 20;
    private static final Duration LIMIT = Duration.ofSeconds(120);

    @TempDir
    static Path data;

    private static Appliance appliance;
    private static ApiTester api;

    @BeforeAll
    static void start() throws Exception {
        appliance = Appliance.start(ApplianceFixture.settings(data.resolve("appliance")), (volumes, targets) -> { });
        api = ApiTester.http(appliance.http().port(), null);
        assertThat(api.post("/api/v1/pools", "{\"name\":\"snaps\",\"segmentSize\":\"1MiB\"}").status()).isEqualTo(201);
        for (int i = 0; i < 2; i++) {
            Path disk = data.resolve("snaps-" + i + ".img");
            FileDisk.open(disk, FileDisk.Options.buffered(256L << 20)).close();
            ApiTester.Answer added = api.post("/api/v1/pools/snaps/disks", "{\"locator\":\"file:" + disk + "\"}");
            assertThat(added.status()).as(added.toString()).isEqualTo(201);
        }
        assertThat(api.post("/api/v1/volumes", "{\"name\":\"sv\",\"pool\":\"snaps\",\"size\":\"32MiB\"}").status()).isEqualTo(201);
        assertThat(api.post("/api/v1/targets", "{\"name\":\"" + TARGET + "\"}").status()).isEqualTo(201);
        assertThat(api.put(LUNS + "0", "{\"volume\":\"sv\"}").status()).isEqualTo(200);
    }

    @AfterAll
    static void stop() {
        appliance.close();
    }

    @Test
    void shouldReadASnapshotThroughIscsiThenCloneAndRollBackToIt() throws Exception {
        Path before = image("before.raw", 1);
        Path after = image("after.raw", 2);
        qemu("convert", "-n", "-f", "raw", "-O", "raw", before.toString(), url(0));

        ApiTester.Answer taken = api.post(SNAPSHOTS, "{\"name\":\"monday\"}");
        assertThat(taken.status()).as(taken.toString()).isEqualTo(201);
        assertThat(taken.header("location")).isEqualTo(SNAPSHOTS + "/monday");
        assertThat(taken.json().get("fullName").asText()).isEqualTo("sv@monday");
        assertThat(taken.json().get("sizeBytes").asLong()).isEqualTo(32L << 20);
        assertThat(taken.json().get("state").asText()).isEqualTo("ACTIVE");
        assertThat(api.post(SNAPSHOTS, "{\"name\":\"monday\"}").status()).as("the same name again").isEqualTo(200);

        qemu("convert", "-n", "-f", "raw", "-O", "raw", after.toString(), url(0));
        assertIdentical(after, url(0));
        JsonNode volume = api.get(VOLUME).json();
        assertThat(volume.get("snapshots").asInt()).isEqualTo(1);
        assertThat(volume.get("snapshotBytes").asLong()).as("the overwritten blocks are kept for the snapshot").isPositive();

        ApiTester.Answer mapped = api.put(LUNS + "1", "{\"volume\":\"sv@monday\"}");
        assertThat(mapped.status()).as(mapped.toString()).isEqualTo(200);
        assertThat(mapped.json().get("readOnly").asBoolean()).isTrue();
        assertIdentical(before, url(1));
        assertThat(metrics()).contains("quarry_volume_snapshots{pool=\"snaps\",volume=\"sv\"} 1.0")
                .contains("quarry_volume_snapshot_bytes{pool=\"snaps\",volume=\"sv\"}")
                .contains("access=\"ro\",op=\"read\",result=\"good\",volume=\"sv@monday\"");

        ApiTester.Answer inUse = api.delete(SNAPSHOTS + "/monday");
        assertThat(inUse.status()).isEqualTo(409);
        assertThat(inUse.json().get("type").asText()).isEqualTo(Problem.TYPE_BASE + "snapshot-in-use");
        ApiTester.Answer mappedRollback = api.post(SNAPSHOTS + "/monday/rollback", "{}");
        assertThat(mappedRollback.status()).isEqualTo(409);
        assertThat(mappedRollback.json().get("type").asText()).isEqualTo(Problem.TYPE_BASE + "volume-in-use");
        assertThat(mappedRollback.json().get("detail").asText()).contains("LUN 0 of target " + TARGET).contains("hosts");

        cloneAndRead(before);

        assertThat(api.delete(LUNS + "1").status()).isEqualTo(204);
        assertThat(metrics()).as("an unmapped snapshot's LUN meters go").doesNotContain("volume=\"sv@monday\"");
        assertThat(api.delete(LUNS + "0").status()).isEqualTo(204);
        ApiTester.Answer rollback = api.post(SNAPSHOTS + "/monday/rollback", "{}");
        assertThat(rollback.status()).as(rollback.toString()).isEqualTo(202);
        assertThat(awaitJob(rollback.header("location")).get("state").asText()).isEqualTo("SUCCEEDED");
        assertThat(api.put(LUNS + "0", "{\"volume\":\"sv\"}").status()).isEqualTo(200);
        assertIdentical(before, url(0));

        ApiTester.Answer deleting = api.delete(SNAPSHOTS + "/monday");
        assertThat(deleting.status()).as(deleting.toString()).isEqualTo(202);
        assertThat(awaitJob(deleting.header("location")).get("state").asText()).isEqualTo("SUCCEEDED");
        assertThat(api.delete(SNAPSHOTS + "/monday").status()).as("already gone").isEqualTo(204);
        assertThat(api.get(SNAPSHOTS + "/monday").status()).isEqualTo(404);
        assertThat(api.get(SNAPSHOTS).json().get("items")).isEmpty();
        assertIdentical(before, url(0));
    }

    private static void cloneAndRead(Path expected) throws Exception {
        ApiTester.Answer cloning = api.post(SNAPSHOTS + "/monday/clones", "{\"name\":\"sv-clone\"}");
        assertThat(cloning.status()).as(cloning.toString()).isEqualTo(202);
        assertThat(cloning.header("location")).startsWith("/api/v1/jobs/");
        assertThat(awaitJob(cloning.header("location")).get("state").asText()).isEqualTo("SUCCEEDED");
        ApiTester.Answer again = api.post(SNAPSHOTS + "/monday/clones", "{\"name\":\"sv-clone\"}");
        assertThat(again.status()).as("idempotent by the clone's name").isEqualTo(202);
        assertThat(awaitJob(again.header("location")).get("state").asText()).isEqualTo("SUCCEEDED");
        JsonNode clone = api.get("/api/v1/volumes/sv-clone").json();
        assertThat(clone.get("origin").asText()).isEqualTo("sv@monday");
        assertThat(clone.get("state").asText()).isEqualTo("ACTIVE");
        assertThat(clone.get("pool").asText()).isEqualTo("snaps");
        assertThat(api.put(LUNS + "2", "{\"volume\":\"sv-clone\"}").status()).isEqualTo(200);
        assertIdentical(expected, url(2));
        assertThat(api.delete(LUNS + "2").status()).isEqualTo(204);
    }

    @Test
    void shouldAnswerBadSnapshotRequestsWithProblemDetails() throws Exception {
        assertThat(api.post("/api/v1/volumes", "{\"name\":\"pv\",\"pool\":\"snaps\",\"size\":\"4MiB\"}").status()).isEqualTo(201);
        String snapshots = "/api/v1/volumes/pv/snapshots";
        assertProblem(api.get("/api/v1/volumes/absent/snapshots"), 404, "not-found");
        assertProblem(api.post("/api/v1/volumes/absent/snapshots", "{\"name\":\"s\"}"), 404, "not-found");
        assertProblem(api.get(snapshots + "/absent"), 404, "not-found");
        assertProblem(api.post(snapshots + "/absent/rollback", "{}"), 404, "not-found");
        assertProblem(api.post(snapshots + "/absent/clones", "{\"name\":\"c\"}"), 404, "not-found");
        assertProblem(api.post(snapshots, "{\"name\":\"-bad\"}"), 400, "invalid-argument");
        assertProblem(api.post(snapshots, "{}"), 400, "invalid-argument");
        assertThat(api.post(snapshots, "{\"name\":\"s1\"}").status()).isEqualTo(201);
        assertProblem(api.post(snapshots + "/s1/clones", "{}"), 400, "invalid-argument");
        assertProblem(api.post(snapshots + "/s1/clones", "{\"name\":\"pv\"}"), 409, "conflict");
        ApiTester.Answer cloning = api.post(snapshots + "/s1/clones", "{\"name\":\"pv-c\"}");
        assertThat(cloning.status()).isEqualTo(202);
        assertThat(api.post(snapshots, "{\"name\":\"s0\"}").status()).isEqualTo(201);
        assertProblem(api.post(snapshots + "/s0/clones", "{\"name\":\"pv-c\"}"), 409, "conflict");
        assertProblem(api.put(LUNS + "9", "{\"volume\":\"pv@s1\",\"readOnly\":false}"), 400, "invalid-argument");
        assertProblem(api.put(LUNS + "9", "{\"volume\":\"pv@absent\"}"), 404, "not-found");
        assertProblem(api.put(LUNS + "9", "{\"volume\":\"pv@a@b\"}"), 400, "invalid-argument");
        assertProblem(api.delete("/api/v1/volumes/pv"), 409, "conflict");

        JsonNode first = api.get(snapshots + "?limit=1").json();
        JsonNode second = api.get(snapshots + "?limit=1&after=" + first.get("next").asText()).json();
        assertThat(first.get("items").get(0).get("name").asText()).as("oldest first").isEqualTo("s1");
        assertThat(second.get("items").get(0).get("name").asText()).isEqualTo("s0");
        assertThat(second.has("next")).isFalse();

        assertThat(awaitJob(cloning.header("location")).get("state").asText()).isEqualTo("SUCCEEDED");
        for (String name : new String[] {"s0", "s1"}) {
            ApiTester.Answer deleting = api.delete(snapshots + "/" + name);
            assertThat(deleting.status()).isEqualTo(202);
            awaitJob(deleting.header("location"));
        }
        assertThat(api.delete("/api/v1/volumes/pv").status()).isEqualTo(204);
        assertThat(api.get("/api/v1/volumes/pv-c").json().get("origin").asText()).as("a clone outlives its source").isEqualTo("pv@s1");
    }

    @Test
    void shouldPassLibiscsiReadOnlyTestsOnASnapshotLun() throws Exception {
        assertThat(api.post("/api/v1/volumes", "{\"name\":\"rv\",\"pool\":\"snaps\",\"size\":\"16MiB\"}").status()).isEqualTo(201);
        assertThat(api.post("/api/v1/volumes/rv/snapshots", "{\"name\":\"frozen\"}").status()).isEqualTo(201);
        assertThat(api.put(LUNS + "5", "{\"volume\":\"rv@frozen\"}").status()).isEqualTo(200);
        ConformanceSuite.Report report = ConformanceSuite.run("ALL.ReadOnly", false, LIMIT, url(5), null);
        assertThat(report.timedOut()).isFalse();
        assertThat(report.failed()).as(report.details()).isEmpty();
        assertThat(report.skipped()).as(report.details()).isEmpty();
        assertThat(report.passed()).as(report.details()).isPositive();
        assertThat(api.delete(LUNS + "5").status()).isEqualTo(204);
    }

    private static void assertProblem(ApiTester.Answer answer, int status, String type) throws IOException {
        assertThat(answer.status()).as(answer.toString()).isEqualTo(status);
        assertThat(answer.header("content-type")).isEqualTo("application/problem+json");
        assertThat(answer.json().get("type").asText()).as(answer.toString()).isEqualTo(Problem.TYPE_BASE + type);
    }

    private static String url(int lun) {
        return ApplianceFixture.url(appliance, TARGET, lun);
    }

    private static void qemu(String... args) throws Exception {
        String[] command = new String[args.length + 1];
        command[0] = "qemu-img";
        System.arraycopy(args, 0, command, 1, args.length);
        ExternalTool.Result result = ExternalTool.run(LIMIT, command);
        assertThat(result.succeeded()).as(result.toString()).isTrue();
    }

    private static void assertIdentical(Path image, String url) throws Exception {
        ExternalTool.Result compare = ExternalTool.run(LIMIT, "qemu-img", "compare", "-f", "raw", "-F", "raw", image.toString(), url);
        assertThat(compare.output()).as(compare.toString()).contains("Images are identical");
        assertThat(compare.exitCode()).isZero();
    }

    private static String metrics() throws Exception {
        return api.get("/metrics").response().body();
    }

    /** Random data with zero-filled holes (every fourth MiB), different for each seed. */
    private static Path image(String name, long seed) throws IOException {
        Path image = data.resolve(name);
        Random random = new Random(seed);
        byte[] chunk = new byte[1 << 20];
        try (FileChannel channel = FileChannel.open(image, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            for (long offset = 0; offset < IMAGE_BYTES; offset += chunk.length) {
                if ((offset >> 20) % 4 == (seed % 4)) {
                    Arrays.fill(chunk, (byte) 0);
                } else {
                    random.nextBytes(chunk);
                }
                channel.write(ByteBuffer.wrap(chunk), offset);
            }
        }
        return image;
    }

    private static JsonNode awaitJob(String location) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        JsonNode job = api.get(location).json();
        while (job.get("state").asText().equals("RUNNING") && System.nanoTime() < deadline) {
            Thread.sleep(100);
            job = api.get(location).json();
        }
        return job;
    }
}
