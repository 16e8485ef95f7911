package dev.quarry.iscsi.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.quarry.iscsi.testing.TestServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * libiscsi's conformance suite, iSCSI family (CmdSN window, DataSN, residuals, task management),
 * against the transport with the small test SCSI target. The SCSI families belong to the SCSI
 * layer and run once it is wired in.
 */
class LibiscsiConformanceIT {

    private static final Logger LOG = LoggerFactory.getLogger(LibiscsiConformanceIT.class);
    private static final Path SUITE = Path.of("/usr/bin/iscsi-test-cu");

    @Test
    @Timeout(value = 240, unit = TimeUnit.SECONDS)
    void shouldPassTheIscsiFamilyOfLibiscsiConformanceTests() throws Exception {
        assumeTrue(Files.isExecutable(SUITE), "libiscsi-bin is not installed");
        try (TestServer server = TestServer.start()) {
            String url = "iscsi://127.0.0.1:" + server.server().port() + "/" + TestServer.TARGET + "/0";
            Process process = new ProcessBuilder(List.of(SUITE.toString(), "--dataloss", "--test=iSCSI", url))
                    .redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(process.waitFor(200, TimeUnit.SECONDS)).isTrue();
            LOG.info("iscsi-test-cu --test=iSCSI:\n{}", output);
            Matcher summary = Pattern.compile("tests\\s+(\\d+)\\s+(\\d+)\\s+(\\d+)\\s+(\\d+)").matcher(output);
            assertThat(summary.find()).as(output).isTrue();
            assertThat(Integer.parseInt(summary.group(4))).as("failed tests:\n" + output).isZero();
        }
    }
}
