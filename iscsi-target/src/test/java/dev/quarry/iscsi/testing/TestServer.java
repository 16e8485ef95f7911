package dev.quarry.iscsi.testing;

import dev.quarry.iscsi.server.IscsiServer;
import dev.quarry.iscsi.server.IscsiServerConfig;
import dev.quarry.iscsi.server.TargetEntry;
import dev.quarry.iscsi.server.TargetRegistry;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * An {@link IscsiServer} on 127.0.0.1 with an ephemeral port, one {@link MemoryScsiTarget} of
 * 16 MiB exported as {@link #TARGET}, short timers (so timeouts are testable) and one I/O thread.
 * Closing it shuts the server down within a bounded time.
 *
 * <p>Thread-safe as far as the server is.
 */
public final class TestServer implements AutoCloseable {

    /** The target every test server exports. */
    public static final String TARGET = "iqn.2026-01.dev.quarry:test-target";

    private final TargetRegistry targets = new TargetRegistry();
    private final MemoryScsiTarget scsi = new MemoryScsiTarget(16 << 20);
    private final IscsiServer server;

    private TestServer(UnaryOperator<IscsiServerConfig> configure) {
        targets.put(TargetEntry.open(TARGET, scsi).withAlias("quarry test target"));
        IscsiServerConfig config = IscsiServerConfig.defaults()
                .withPortals(List.of(new InetSocketAddress("127.0.0.1", 0)))
                .withTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(30), Duration.ofSeconds(5), Duration.ofSeconds(2),
                        Duration.ofSeconds(2))
                .withIoThreads(1, true);
        this.server = IscsiServer.start(configure.apply(config), targets);
    }

    /** A server with the test defaults. */
    public static TestServer start() {
        return new TestServer(UnaryOperator.identity());
    }

    /** A server whose configuration {@code configure} adjusts from the test defaults. */
    public static TestServer start(UnaryOperator<IscsiServerConfig> configure) {
        return new TestServer(configure);
    }

    public InetSocketAddress address() {
        return new InetSocketAddress("127.0.0.1", server.port());
    }

    /** A new initiator connected to this server. */
    public TestInitiator connect() {
        return TestInitiator.connect(address());
    }

    /** A new initiator logged in to {@link #TARGET}. */
    public TestInitiator loggedIn() {
        TestInitiator initiator = connect();
        initiator.loginOrFail(LoginOptions.normal(TARGET));
        return initiator;
    }

    public TargetRegistry targets() {
        return targets;
    }

    public MemoryScsiTarget scsi() {
        return scsi;
    }

    public IscsiServer server() {
        return server;
    }

    @Override
    public void close() {
        server.shutdownGracefully(Duration.ofSeconds(1)).join();
        scsi.volume().close();
    }
}
