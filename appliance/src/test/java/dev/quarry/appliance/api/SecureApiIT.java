package dev.quarry.appliance.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import dev.quarry.admin.http.HttpApiServer;
import dev.quarry.admin.http.Problem;
import dev.quarry.admin.http.Role;
import dev.quarry.admin.http.TokenAuthenticator;
import dev.quarry.appliance.Appliance;
import dev.quarry.appliance.serve.AdminTls;
import dev.quarry.appliance.testing.ApiTester;
import dev.quarry.appliance.testing.ApplianceFixture;
import dev.quarry.appliance.testing.TestCertificates;
import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * The admin API behind TLS (a self-signed certificate made by keytool) and bearer tokens with an
 * admin and a read-only role, over real HTTPS on loopback; and no token or CHAP secret in any
 * answer or log line.
 */
class SecureApiIT {

    private static final String ADMIN = "admin-token-0123456789abcdef";
    private static final String READER = "reader-token-0123456789abcdef";
    private static final String CHAP_SECRET = "chap-secret-never-shown";

    @TempDir
    static Path data;

    private static Appliance appliance;
    private static ApiTester anonymous;
    private static final ListAppender<ILoggingEvent> LOGS = new ListAppender<>();
    private static Logger root;
    private static Level rootLevel;

    @BeforeAll
    static void start() throws Exception {
        root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        rootLevel = root.getLevel();
        root.setLevel(Level.DEBUG);
        LOGS.start();
        root.addAppender(LOGS);
        TestCertificates.Generated certificate = TestCertificates.generate(data);
        HttpApiServer.Security security = new HttpApiServer.Security(
                TokenAuthenticator.of(Map.of(ADMIN, Role.ADMIN, READER, Role.READ_ONLY)),
                AdminTls.serverContext(certificate.certificate(), certificate.privateKey()));
        appliance = Appliance.start(ApplianceFixture.settings(data).withHttpSecurity(security), (volumes, targets) -> { });
        HttpClient client = HttpClient.newBuilder().sslContext(certificate.clientContext()).connectTimeout(Duration.ofSeconds(5)).build();
        anonymous = new ApiTester(client, "https://127.0.0.1:" + appliance.http().port(), null);
    }

    @AfterAll
    static void stop() {
        appliance.close();
        root.detachAppender(LOGS);
        root.setLevel(rootLevel);
    }

    @Test
    void shouldServeHealthAndTheDescriptionWithoutAToken() throws Exception {
        assertThat(anonymous.get("/api/v1/health").status()).isEqualTo(200);
        assertThat(anonymous.get(ApplianceApi.OPENAPI_PATH).status()).isEqualTo(200);
    }

    @Test
    void shouldRefuseRequestsWithoutAValidToken() throws Exception {
        ApiTester.Answer none = anonymous.get("/api/v1/pools");
        assertThat(none.status()).isEqualTo(401);
        assertThat(none.header("www-authenticate")).startsWith("Bearer");
        assertThat(none.json().get("type").asText()).isEqualTo(Problem.TYPE_BASE + "unauthorized");
        assertThat(anonymous.withToken("not-a-known-token-at-all").get("/api/v1/pools").status()).isEqualTo(401);
    }

    @Test
    void shouldLetTheReadOnlyRoleReadButNotChange() throws Exception {
        ApiTester reader = anonymous.withToken(READER);
        assertThat(reader.get("/api/v1/pools").status()).isEqualTo(200);
        ApiTester.Answer refused = reader.post("/api/v1/pools", "{\"name\":\"ro\"}");
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.json().get("type").asText()).isEqualTo(Problem.TYPE_BASE + "forbidden");
        assertThat(anonymous.withToken(ADMIN).post("/api/v1/pools", "{\"name\":\"rw\"}").status()).isEqualTo(201);
    }

    @Test
    void shouldNotAnswerPlainHttpOnTheTlsPort() {
        ApiTester plain = ApiTester.http(appliance.http().port(), ADMIN);
        assertThatThrownBy(() -> plain.get("/api/v1/health")).isInstanceOf(IOException.class);
    }

    @Test
    void shouldNeverShowATokenOrSecretInAnswersOrLogs() throws Exception {
        ApiTester admin = anonymous.withToken(ADMIN);
        String target = "{\"name\":\"iqn.2026-11.dev.quarry:sec\",\"chap\":{\"user\":\"u1\",\"secret\":\"" + CHAP_SECRET + "\"}}";
        StringBuilder answers = new StringBuilder();
        answers.append(admin.post("/api/v1/targets", target).response().body());
        answers.append(admin.post("/api/v1/targets", target.replace("u1", "u2")).response().body());
        answers.append(admin.put("/api/v1/targets/iqn.2026-11.dev.quarry:sec/chap", "{\"user\":\"u1\",\"secret\":7}").response().body());
        answers.append(admin.put("/api/v1/targets/iqn.2026-11.dev.quarry:sec/chap", "{\"user\":\"u1\",\"secret\":\"short\"}")
                .response().body());
        answers.append(admin.get("/api/v1/targets").response().body());
        answers.append(anonymous.withToken(READER + "x").get("/api/v1/targets").response().body());
        assertThat(answers.toString()).contains("u1").doesNotContain(CHAP_SECRET).doesNotContain(ADMIN).doesNotContain(READER);
        for (ILoggingEvent event : LOGS.list) {
            String line = event.getFormattedMessage()
                    + (event.getThrowableProxy() == null ? "" : ThrowableProxyUtil.asString(event.getThrowableProxy()));
            assertThat(line).doesNotContain(CHAP_SECRET).doesNotContain(ADMIN).doesNotContain(READER);
        }
        assertThat(LOGS.list).isNotEmpty();
    }
}
