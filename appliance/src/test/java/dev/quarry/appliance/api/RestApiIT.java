package dev.quarry.appliance.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quarry.admin.http.Problem;
import dev.quarry.appliance.Appliance;
import dev.quarry.appliance.testing.ApiTester;
import dev.quarry.appliance.testing.ApplianceFixture;
import dev.quarry.iscsi.initiator.InitiatorConfig;
import dev.quarry.iscsi.initiator.IscsiInitiator;
import dev.quarry.iscsi.initiator.RemoteLun;
import dev.quarry.iscsi.initiator.RemoteTarget;
import dev.quarry.volume.disk.FileDisk;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The REST resources over real HTTP on loopback against a real appliance (RocksDB, file disks,
 * the iSCSI server): idempotent creates, PUTs and DELETEs, problem details, pagination, a drain
 * as a 202 job, and a forced logout of a live session.
 */
class RestApiIT {

    @TempDir
    static Path data;

    private static Appliance appliance;
    private static ApiTester api;

    @BeforeAll
    static void start() throws Exception {
        appliance = Appliance.start(ApplianceFixture.settings(data), (volumes, targets) -> { });
        api = ApiTester.http(appliance.http().port(), null);
    }

    @AfterAll
    static void stop() {
        appliance.close();
    }

    private static String disk(String name, long bytes) throws Exception {
        Path file = data.resolve(name);
        FileDisk.open(file, FileDisk.Options.buffered(bytes)).close();
        return "file:" + file.toAbsolutePath();
    }

    @Test
    void shouldCreatePoolsIdempotentlyByName() throws Exception {
        ApiTester.Answer created = api.post("/api/v1/pools", "{\"name\":\"p1\",\"segmentSize\":\"4MiB\"}");
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        assertThat(created.header("location")).isEqualTo("/api/v1/pools/p1");
        assertThat(created.json().get("segmentSize").asLong()).isEqualTo(4L << 20);
        assertThat(api.post("/api/v1/pools", "{\"name\":\"p1\",\"segmentSize\":4194304}").status()).isEqualTo(200);
        ApiTester.Answer different = api.post("/api/v1/pools", "{\"name\":\"p1\",\"segmentSize\":\"8MiB\"}");
        assertThat(different.status()).isEqualTo(409);
        assertThat(different.json().get("type").asText()).isEqualTo(Problem.TYPE_BASE + "conflict");
        assertThat(api.get("/api/v1/pools/p1").json().get("name").asText()).isEqualTo("p1");
        assertThat(api.get("/api/v1/pools/nope").status()).isEqualTo(404);
    }

    @Test
    void shouldAddDisksIdempotentlyAndDrainOneAsAJob() throws Exception {
        api.post("/api/v1/pools", "{\"name\":\"drain\",\"segmentSize\":\"1MiB\"}");
        String first = disk("drain-0.img", 64L << 20);
        String second = disk("drain-1.img", 64L << 20);
        ApiTester.Answer added = api.post("/api/v1/pools/drain/disks", "{\"locator\":\"" + first + "\",\"tier\":\"SATA\"}");
        assertThat(added.status()).as(added.toString()).isEqualTo(201);
        int id = added.json().get("id").asInt();
        assertThat(api.post("/api/v1/pools/drain/disks", "{\"locator\":\"" + first + "\",\"tier\":\"SATA\"}").status()).isEqualTo(200);
        assertThat(api.post("/api/v1/pools/drain/disks", "{\"locator\":\"" + second + "\",\"tier\":\"SATA\"}").status()).isEqualTo(201);
        assertThat(api.get("/api/v1/pools/drain/disks").json().get("items")).hasSize(2);
        assertThat(api.get("/api/v1/pools/drain").json().get("capacityBytes").asLong()).isPositive();

        ApiTester.Answer removing = api.delete("/api/v1/pools/drain/disks/" + id);
        assertThat(removing.status()).as(removing.toString()).isEqualTo(202);
        String job = removing.header("location");
        assertThat(job).startsWith("/api/v1/jobs/");
        JsonNode state = awaitJob(job);
        assertThat(state.get("state").asText()).isEqualTo("SUCCEEDED");
        assertThat(state.get("percent").asDouble()).isEqualTo(100.0);
        assertThat(api.delete("/api/v1/pools/drain/disks/" + id).status()).isEqualTo(204);
        assertThat(api.get("/api/v1/pools/drain/disks").json().get("items")).hasSize(1);
        assertThat(api.get("/api/v1/jobs").json().get("items").toString()).contains(job.substring(job.lastIndexOf('/') + 1));
    }

    @Test
    void shouldDeleteOnlyAnEmptyPoolIdempotently() throws Exception {
        pool("doomed");
        assertThat(api.post("/api/v1/volumes", "{\"name\":\"in-doomed\",\"pool\":\"doomed\",\"size\":\"16MiB\"}").status())
                .isEqualTo(201);
        ApiTester.Answer refused = api.delete("/api/v1/pools/doomed");
        assertThat(refused.status()).as(refused.toString()).isEqualTo(409);
        assertThat(refused.json().get("detail").asText()).contains("volumes");
        assertThat(api.delete("/api/v1/volumes/in-doomed").status()).isEqualTo(204);
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        ApiTester.Answer deleted = api.delete("/api/v1/pools/doomed");
        while (deleted.status() == 409 && System.nanoTime() < deadline) {
            // the collector may still be reclaiming the deleted volume's space
            Thread.sleep(200);
            deleted = api.delete("/api/v1/pools/doomed");
        }
        assertThat(deleted.status()).as(deleted.toString()).isEqualTo(204);
        assertThat(api.get("/api/v1/pools/doomed").status()).isEqualTo(404);
        assertThat(api.delete("/api/v1/pools/doomed").status()).isEqualTo(204);
    }

    @Test
    void shouldAnswerAMissingDeviceWithAProblem() throws Exception {
        api.post("/api/v1/pools", "{\"name\":\"nodev\"}");
        ApiTester.Answer answer = api.post("/api/v1/pools/nodev/disks", "{\"locator\":\"file:" + data.resolve("absent.img") + "\"}");
        assertThat(answer.status()).isEqualTo(422);
        assertThat(answer.header("content-type")).isEqualTo("application/problem+json");
        assertThat(answer.json().get("type").asText()).isEqualTo(Problem.TYPE_BASE + "device-unavailable");
    }

    @Test
    void shouldCreateResizeAndDeleteVolumesIdempotently() throws Exception {
        pool("vols");
        ApiTester.Answer created = api.post("/api/v1/volumes", "{\"name\":\"v1\",\"pool\":\"vols\",\"size\":\"64MiB\"}");
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        assertThat(created.json().get("sizeBytes").asLong()).isEqualTo(64L << 20);
        assertThat(api.post("/api/v1/volumes", "{\"name\":\"v1\",\"pool\":\"vols\",\"size\":67108864}").status()).isEqualTo(200);
        assertThat(api.post("/api/v1/volumes", "{\"name\":\"v1\",\"pool\":\"vols\",\"size\":\"128MiB\"}").status()).isEqualTo(409);

        assertThat(api.put("/api/v1/volumes/v1", "{\"size\":\"128MiB\"}").json().get("sizeBytes").asLong()).isEqualTo(128L << 20);
        assertThat(api.put("/api/v1/volumes/v1", "{\"size\":\"128MiB\"}").status()).isEqualTo(200);
        ApiTester.Answer shrink = api.put("/api/v1/volumes/v1", "{\"size\":\"64MiB\"}");
        assertThat(shrink.status()).isEqualTo(409);
        assertThat(shrink.json().get("type").asText()).isEqualTo(Problem.TYPE_BASE + "shrink-refused");

        assertThat(api.delete("/api/v1/volumes/v1").status()).isEqualTo(204);
        assertThat(api.delete("/api/v1/volumes/v1").status()).isEqualTo(204);
        assertThat(api.get("/api/v1/volumes/v1").status()).isEqualTo(404);
    }

    @Test
    void shouldAnswerBadInputWithProblemDetails() throws Exception {
        pool("bad");
        ApiTester.Answer size = api.post("/api/v1/volumes", "{\"name\":\"b1\",\"pool\":\"bad\",\"size\":\"12 parsecs\"}");
        assertThat(size.status()).isEqualTo(400);
        assertThat(size.header("content-type")).isEqualTo("application/problem+json");
        assertThat(size.json().get("type").asText()).isEqualTo(Problem.TYPE_BASE + "bad-request");
        assertThat(size.json().get("detail").asText()).contains("not a size");
        ApiTester.Answer name = api.post("/api/v1/volumes", "{\"name\":\"-bad\",\"pool\":\"bad\",\"size\":4096}");
        assertThat(name.status()).isEqualTo(400);
        assertThat(api.post("/api/v1/volumes", "{\"name\":").json().get("detail").asText()).contains("malformed JSON");
        assertThat(api.post("/api/v1/volumes", "{\"nme\":\"x\"}").json().get("detail").asText()).contains("unknown field 'nme'");
        assertThat(api.get("/api/v1/volumes?limit=0").status()).isEqualTo(400);
        assertThat(api.get("/api/v1/nothing").json().get("type").asText()).isEqualTo(Problem.TYPE_BASE + "no-route");
    }

    @Test
    void shouldPageThroughLists() throws Exception {
        pool("pages");
        for (int i = 0; i < 5; i++) {
            api.post("/api/v1/volumes", "{\"name\":\"page" + i + "\",\"pool\":\"pages\",\"size\":\"4MiB\"}");
        }
        List<String> seen = new ArrayList<>();
        String path = "/api/v1/volumes?pool=pages&limit=2";
        int pages = 0;
        while (path != null) {
            JsonNode page = api.get(path).json();
            page.get("items").forEach(v -> seen.add(v.get("name").asText()));
            pages++;
            path = page.has("next") ? "/api/v1/volumes?pool=pages&limit=2&after=" + page.get("next").asText() : null;
        }
        assertThat(pages).isEqualTo(3);
        assertThat(seen).containsExactly("page0", "page1", "page2", "page3", "page4");
    }

    @Test
    void shouldManageTargetsLunsAccessAndChapWithoutShowingSecrets() throws Exception {
        pool("tgt");
        api.post("/api/v1/volumes", "{\"name\":\"tv\",\"pool\":\"tgt\",\"size\":\"16MiB\"}");
        String target = "/api/v1/targets/iqn.2026-11.dev.quarry:t1";
        String create = "{\"name\":\"iqn.2026-11.dev.quarry:t1\",\"chap\":{\"user\":\"host1\",\"secret\":\"verysecret123\"}}";
        assertThat(api.post("/api/v1/targets", create).status()).isEqualTo(201);
        assertThat(api.post("/api/v1/targets", create).status()).isEqualTo(200);
        assertThat(api.put(target + "/luns/0", "{\"volume\":\"tv\"}").status()).isEqualTo(200);
        assertThat(api.put(target + "/luns/0", "{\"volume\":\"tv\"}").status()).isEqualTo(200);
        assertThat(api.put(target + "/luns/1", "{\"volume\":\"absent\"}").status()).isEqualTo(404);
        assertThat(api.delete("/api/v1/volumes/tv").json().get("type").asText()).isEqualTo(Problem.TYPE_BASE + "volume-in-use");

        assertThat(api.put(target + "/initiators/iqn.1994-05.com.redhat:h1", null).status()).isEqualTo(200);
        assertThat(api.put(target + "/initiators/iqn.1994-05.com.redhat:h2", null).status()).isEqualTo(200);
        assertThat(api.delete(target + "/initiators/iqn.1994-05.com.redhat:h2").status()).isEqualTo(204);
        assertThat(api.delete(target + "/initiators/iqn.1994-05.com.redhat:h1").json().get("type").asText())
                .isEqualTo(Problem.TYPE_BASE + "would-open-target");
        assertThat(api.put("/api/v1/discovery/chap", "{\"user\":\"disc\",\"secret\":\"discoverysecret1\"}").status()).isEqualTo(200);

        String everything = api.get(target).response().body() + api.get("/api/v1/targets").response().body()
                + api.get(target + "/chap").response().body() + api.get("/api/v1/discovery/chap").response().body();
        assertThat(everything).contains("host1").contains("disc").doesNotContain("verysecret123").doesNotContain("discoverysecret1");
        assertThat(api.get(target).json().get("luns").get(0).get("volume").asText()).isEqualTo("tv");

        assertThat(api.delete(target + "/luns/0").status()).isEqualTo(204);
        assertThat(api.delete(target + "/luns/0").status()).isEqualTo(204);
        assertThat(api.delete(target).status()).isEqualTo(204);
        assertThat(api.delete(target).status()).isEqualTo(204);
        assertThat(api.delete("/api/v1/discovery/chap").status()).isEqualTo(204);
        assertThat(api.delete("/api/v1/volumes/tv").status()).isEqualTo(204);
    }

    @Test
    void shouldAddAndRemoveAPortal() throws Exception {
        String portal = "127.0.0.1:23268";
        String configured = ApplianceFixture.portal(appliance);
        assertThat(api.put("/api/v1/portals/" + portal, null).status()).isEqualTo(200);
        assertThat(api.put("/api/v1/portals/" + portal, null).status()).isEqualTo(200);
        assertThat(api.get("/api/v1/portals").response().body()).contains(portal);
        assertThat(api.delete("/api/v1/portals/" + configured).json().get("type").asText())
                .isEqualTo(Problem.TYPE_BASE + "configured-portal");
        assertThat(api.delete("/api/v1/portals/" + portal).status()).isEqualTo(204);
        assertThat(api.delete("/api/v1/portals/" + portal).status()).isEqualTo(204);
        assertThat(api.get("/api/v1/portals").response().body()).doesNotContain(portal);
    }

    @Test
    void shouldListAndForceOutALiveSession() throws Exception {
        pool("sess");
        api.post("/api/v1/volumes", "{\"name\":\"sv\",\"pool\":\"sess\",\"size\":\"16MiB\"}");
        api.post("/api/v1/targets", "{\"name\":\"iqn.2026-11.dev.quarry:sess\"}");
        api.put("/api/v1/targets/iqn.2026-11.dev.quarry:sess/luns/0", "{\"volume\":\"sv\"}");
        InetSocketAddress portal = appliance.iscsi().boundAddresses().get(0);
        try (IscsiInitiator initiator = IscsiInitiator.start(InitiatorConfig.defaults("iqn.2026-11.dev.quarry:tester"))) {
            RemoteLun lun = initiator.open(RemoteTarget.of(portal, "iqn.2026-11.dev.quarry:sess", 0)).get(30, TimeUnit.SECONDS);
            JsonNode sessions = api.get("/api/v1/sessions").json().get("items");
            assertThat(sessions).hasSize(1);
            assertThat(sessions.get(0).get("initiator").asText()).isEqualTo("iqn.2026-11.dev.quarry:tester");
            assertThat(sessions.get(0).get("initiatorAddress").asText()).startsWith("127.0.0.1:");
            assertThat(sessions.get(0).get("portal").asText()).startsWith("127.0.0.1:");
            assertThat(java.time.Instant.parse(sessions.get(0).get("loggedIn").asText())).isBeforeOrEqualTo(java.time.Instant.now());
            int tsih = sessions.get(0).get("tsih").asInt();
            assertThat(api.get("/api/v1/sessions/" + tsih).status()).isEqualTo(200);
            assertThat(api.delete("/api/v1/sessions/" + tsih).status()).isEqualTo(204);
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (api.get("/api/v1/sessions/" + tsih).status() == 200 && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertThat(api.get("/api/v1/sessions/" + tsih).status()).isEqualTo(404);
            lun.close();
        }
    }

    private static void pool(String name) throws Exception {
        api.post("/api/v1/pools", "{\"name\":\"" + name + "\",\"segmentSize\":\"1MiB\"}");
        api.post("/api/v1/pools/" + name + "/disks", "{\"locator\":\"" + disk(name + "-0.img", 128L << 20) + "\"}");
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
