package dev.quarry.iscsi.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quarry.iscsi.pdu.Bhs;
import dev.quarry.iscsi.testing.Await;
import dev.quarry.iscsi.testing.LoginOptions;
import dev.quarry.iscsi.testing.TestInitiator;
import dev.quarry.iscsi.testing.TestServer;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufAllocatorMetricProvider;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Half-open and abusive connections (RELIABILITY §3 cases 23, 26, 27): timeouts and caps keep the server bounded. */
class ConnectionLimitsIT {

    @Test
    void shouldCloseHalfABhsAfterTheLoginTimeout() {
        try (TestServer server = TestServer.start(c -> c.withTimeouts(Duration.ofMillis(500), Duration.ofSeconds(30),
                Duration.ofSeconds(5), Duration.ofSeconds(2), Duration.ofSeconds(1)));
             TestInitiator silent = server.connect()) {
            silent.sendRaw(new byte[20]);
            assertThat(silent.awaitClose(Duration.ofSeconds(5))).isTrue();
            try (TestInitiator other = server.loggedIn()) {
                assertThat(other.scsi().testUnitReady(0).status()).isZero();
            }
        }
    }

    @Test
    void shouldRefuseConnectionsBeyondThePerSourceCap() {
        try (TestServer server = TestServer.start(c -> c.withConnectionLimits(4, 100))) {
            List<TestInitiator> held = new ArrayList<>();
            try {
                for (int i = 0; i < 4; i++) {
                    held.add(server.connect());
                }
                try (TestInitiator fifth = server.connect()) {
                    assertThat(fifth.awaitClose(Duration.ofSeconds(5))).as("closed at accept").isTrue();
                }
                held.remove(0).close();
                awaitConnections(server, 3);
                try (TestInitiator again = server.connect()) {
                    assertThat(again.login(LoginOptions.normal(TestServer.TARGET)).succeeded()).isTrue();
                }
            } finally {
                held.forEach(TestInitiator::close);
            }
        }
    }

    @Test
    void shouldSurviveAFloodOfHalfOpenLogins() {
        try (TestServer server = TestServer.start(c -> c.withConnectionLimits(50, 1000).withTimeouts(Duration.ofMillis(500),
                Duration.ofSeconds(30), Duration.ofSeconds(5), Duration.ofSeconds(2), Duration.ofSeconds(1)))) {
            List<TestInitiator> flood = new ArrayList<>();
            try {
                for (int i = 0; i < 200; i++) {
                    TestInitiator initiator = server.connect();
                    initiator.sendRaw(new byte[7]);
                    flood.add(initiator);
                }
                for (TestInitiator initiator : flood) {
                    assertThat(initiator.awaitClose(Duration.ofSeconds(5))).isTrue();
                }
                awaitConnections(server, 0);
                try (TestInitiator other = server.loggedIn()) {
                    assertThat(other.scsi().testUnitReady(0).status()).isZero();
                }
            } finally {
                flood.forEach(TestInitiator::close);
            }
        }
    }

    @Test
    void shouldKeepMemoryFlatWhenManyConnectionsClaimMaximalDataSegments() {
        try (TestServer server = TestServer.start(c -> c.withConnectionLimits(1000, 1000))) {
            ByteBufAllocator allocator = ByteBufAllocator.DEFAULT;
            long before = usedMemory(allocator);
            List<TestInitiator> connections = new ArrayList<>();
            try {
                for (int i = 0; i < 300; i++) {
                    TestInitiator initiator = server.connect();
                    byte[] bhs = new byte[Bhs.LENGTH];
                    bhs[0] = (byte) (i % 2 == 0 ? 0x04 : 0x43);
                    bhs[1] = (byte) 0x80;
                    bhs[5] = (byte) 0xFF;
                    bhs[6] = (byte) 0xFF;
                    bhs[7] = (byte) 0xFF;
                    initiator.sendRaw(bhs);
                    initiator.sendRaw(new byte[4096]);
                    connections.add(initiator);
                }
                for (TestInitiator initiator : connections) {
                    assertThat(initiator.awaitClose(Duration.ofSeconds(5))).isTrue();
                }
                assertThat(usedMemory(allocator) - before).as("no eager 16 MiB buffers").isLessThan(32L << 20);
            } finally {
                connections.forEach(TestInitiator::close);
            }
        }
    }

    private static long usedMemory(ByteBufAllocator allocator) {
        if (allocator instanceof ByteBufAllocatorMetricProvider provider) {
            return provider.metric().usedDirectMemory() + provider.metric().usedHeapMemory();
        }
        return Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory();
    }

    private static void awaitConnections(TestServer server, int count) {
        Await.until(() -> server.server().connectionCount() <= count, "at most " + count + " connections");
    }
}
