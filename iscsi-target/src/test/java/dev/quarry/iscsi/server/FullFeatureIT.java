package dev.quarry.iscsi.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quarry.iscsi.pdu.LogoutResponsePdu;
import dev.quarry.iscsi.testing.MemoryScsiTarget;
import dev.quarry.iscsi.testing.ScsiResult;
import dev.quarry.iscsi.testing.TestInitiator;
import dev.quarry.iscsi.testing.TestServer;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class FullFeatureIT {

    private static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void shouldWriteAndReadBackThroughImmediateUnsolicitedAndSolicitedData() {
        try (TestInitiator initiator = server.loggedIn()) {
            byte[] data = new byte[1 << 20];
            for (int i = 0; i < data.length; i++) {
                data[i] = (byte) (i * 31 + 7);
            }
            ScsiResult write = initiator.scsi().write10(0, 64, data, MemoryScsiTarget.BLOCK_SIZE);
            assertThat(write.status()).isZero();
            assertThat(write.r2ts()).as("beyond the first burst comes by R2T").isGreaterThan(0);
            ScsiResult read = initiator.scsi().read10(0, 64, data.length / 512, MemoryScsiTarget.BLOCK_SIZE);
            assertThat(read.status()).isZero();
            assertThat(read.statusInDataIn()).as("GOOD status rides on the last Data-In").isTrue();
            assertThat(Arrays.equals(read.data(), data)).isTrue();
            LogoutResponsePdu logout = initiator.logout(0);
            assertThat(logout.response()).isZero();
            assertThat(initiator.awaitClose(Duration.ofSeconds(5))).isTrue();
        }
    }
}
