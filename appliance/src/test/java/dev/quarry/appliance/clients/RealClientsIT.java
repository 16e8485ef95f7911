package dev.quarry.appliance.clients;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quarry.appliance.Appliance;
import dev.quarry.appliance.identity.LunIdentities;
import dev.quarry.appliance.target.ChapSettings;
import dev.quarry.appliance.target.LunMapping;
import dev.quarry.appliance.target.TargetDefinition;
import dev.quarry.appliance.testing.ApplianceFixture;
import dev.quarry.appliance.testing.ExternalTool;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real clients hosts use, against a real appliance: libiscsi's iscsi-ls and iscsi-inq, and
 * QEMU's block layer through qemu-img with iscsi:// URLs.
 */
class RealClientsIT {

    private static final String OPEN = "iqn.2026-11.dev.quarry:open";
    private static final String SECURED = "iqn.2026-11.dev.quarry:secured";
    private static final String CHAP_USER = "quarryuser";
    private static final String CHAP_SECRET = "chapsecret1234";
    private static final long OPEN_BYTES = 512L << 20;
    private static final Duration LIMIT = Duration.ofSeconds(120);

    @TempDir
    static Path data;

    private static Appliance appliance;

    @BeforeAll
    static void start() throws Exception {
        appliance = Appliance.start(ApplianceFixture.settings(data), (volumes, targets) -> {
            ApplianceFixture.pool(volumes, data, 2L << 30);
            ApplianceFixture.volume(volumes, "open", OPEN_BYTES);
            ApplianceFixture.volume(volumes, "secured", 64L << 20);
            targets.create(TargetDefinition.open(OPEN).withLun(new LunMapping(0, "open", false)));
            targets.create(TargetDefinition.open(SECURED).withChap(new ChapSettings(CHAP_USER, CHAP_SECRET, null, null))
                    .withLun(new LunMapping(0, "secured", false)));
        });
    }

    @AfterAll
    static void stop() {
        appliance.close();
    }

    @Test
    void shouldListBothTargetsInADiscoverySessionWithoutChap() throws Exception {
        ExternalTool.Result result = ExternalTool.run(LIMIT, "iscsi-ls", "iscsi://" + ApplianceFixture.portal(appliance));
        assertThat(result.succeeded()).as(result.toString()).isTrue();
        assertThat(result.output()).contains("Target:" + OPEN).contains("Target:" + SECURED);
    }

    @Test
    void shouldShowLunsOfEveryTargetWhenLoggingInWithChap() throws Exception {
        ExternalTool.Result result = ExternalTool.run(LIMIT, "iscsi-ls", "-s",
                "iscsi://" + CHAP_USER + "%" + CHAP_SECRET + "@" + ApplianceFixture.portal(appliance));
        assertThat(result.succeeded()).as(result.toString()).isTrue();
        assertThat(result.output()).contains("Target:" + SECURED).contains("Lun:0").contains("DIRECT_ACCESS");
    }

    @Test
    void shouldRefuseAWrongChapSecret() throws Exception {
        String url = "iscsi://" + CHAP_USER + "%wrong-secret-99@" + ApplianceFixture.portal(appliance) + "/" + SECURED + "/0";
        ExternalTool.Result result = ExternalTool.run(LIMIT, "iscsi-inq", url);
        assertThat(result.succeeded()).as(result.toString()).isFalse();
        assertThat(result.output()).containsIgnoringCase("login");
    }

    @Test
    void shouldRefuseALoginWithoutChapToTheSecuredTarget() throws Exception {
        ExternalTool.Result result = ExternalTool.run(LIMIT, "iscsi-inq", ApplianceFixture.url(appliance, SECURED, 0));
        assertThat(result.succeeded()).as(result.toString()).isFalse();
    }

    @Test
    void shouldAnswerInquiryWithQuarryIdentity() throws Exception {
        String url = "iscsi://" + CHAP_USER + "%" + CHAP_SECRET + "@" + ApplianceFixture.portal(appliance) + "/" + SECURED + "/0";
        ExternalTool.Result standard = ExternalTool.run(LIMIT, "iscsi-inq", url);
        assertThat(standard.succeeded()).as(standard.toString()).isTrue();
        assertThat(standard.output()).contains("Vendor:QUARRY").contains("Product:" + LunIdentities.PRODUCT_ID);
        ExternalTool.Result serial = ExternalTool.run(LIMIT, "iscsi-inq", "-e", "1", "-c", "128", url);
        String uuid = appliance.volumes().volumes().volume("secured").orElseThrow().uuid().toString();
        assertThat(serial.output()).containsIgnoringCase(uuid.replace("-", ""));
    }

    @Test
    void shouldReportTheVolumeSizeToQemu() throws Exception {
        ExternalTool.Result result = ExternalTool.run(LIMIT, "qemu-img", "info", ApplianceFixture.url(appliance, OPEN, 0));
        assertThat(result.succeeded()).as(result.toString()).isTrue();
        assertThat(result.output()).contains("virtual size: 512 MiB (" + OPEN_BYTES + " bytes)");
    }

    @Test
    void shouldStoreARawImageConvertedByQemuAndCompareIdentical() throws Exception {
        Path image = data.resolve("guest.raw");
        writeImage(image, 300L << 20);
        String url = ApplianceFixture.url(appliance, OPEN, 0);
        ExternalTool.Result convert = ExternalTool.run(LIMIT, "qemu-img", "convert", "-n", "-f", "raw", "-O", "raw",
                image.toString(), url);
        assertThat(convert.succeeded()).as(convert.toString()).isTrue();
        ExternalTool.Result compare = ExternalTool.run(LIMIT, "qemu-img", "compare", "-f", "raw", "-F", "raw",
                image.toString(), url);
        assertThat(compare.output()).as(compare.toString()).contains("Images are identical");
        assertThat(compare.exitCode()).isZero();
    }

    /**
     * A guest-like image: random data with zero-filled holes, so that both the data path and the
     * thin volume's zero detection are exercised (the LUN is larger; qemu-img compare checks
     * that the rest reads as zeroes).
     */
    private static void writeImage(Path image, long bytes) throws IOException {
        Random random = new Random(42);
        byte[] chunk = new byte[1 << 20];
        try (FileChannel channel = FileChannel.open(image, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            for (long offset = 0; offset < bytes; offset += chunk.length) {
                if ((offset >> 20) % 5 == 3) {
                    java.util.Arrays.fill(chunk, (byte) 0);
                } else {
                    random.nextBytes(chunk);
                }
                channel.write(ByteBuffer.wrap(chunk), offset);
            }
        }
    }
}
