package dev.quarry.iscsi.initiator;

import dev.quarry.block.BlockVolume;
import dev.quarry.iscsi.login.ChapCredentials;
import dev.quarry.iscsi.scsi.FileLogicalUnitStateStore;
import dev.quarry.iscsi.scsi.LogicalUnit;
import dev.quarry.iscsi.scsi.LogicalUnitIdentity;
import dev.quarry.iscsi.scsi.ScsiTargetDevice;
import dev.quarry.iscsi.server.IscsiServer;
import dev.quarry.iscsi.server.IscsiServerConfig;
import dev.quarry.iscsi.server.TargetEntry;
import dev.quarry.iscsi.server.TargetRegistry;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * An in-process Quarry target for the initiator's tests: an {@link IscsiServer} on 127.0.0.1
 * (ephemeral port, kept across {@link #restart()}) exporting one {@link LogicalUnit} over a
 * {@link BlockVolume} as LUN 0 of {@link #TARGET}, optionally with CHAP.
 *
 * <p>Thread-safe as far as the server is; one test drives it.
 */
final class QuarryTarget implements AutoCloseable {

    static final String TARGET = "iqn.2026-11.dev.quarry:initiator-test";
    static final byte[] NAA = {0x60, 0x0A, 0x51, 0x52, 0, 0, 0, 1, 1, 2, 3, 4, 5, 6, 7, 8};

    private final BlockVolume volume;
    private final ExecutorService stateIo = Executors.newSingleThreadExecutor(r -> new Thread(r, "lu-state"));
    private final LogicalUnit unit;
    private final TargetRegistry targets = new TargetRegistry();
    private final int port;
    private volatile IscsiServer server;

    QuarryTarget(BlockVolume volume, Path stateDirectory, ChapCredentials chap) {
        this(volume, stateDirectory, chap, NAA);
    }

    /** A target whose LUN reports {@code naa} (and a serial number made from it). */
    QuarryTarget(BlockVolume volume, Path stateDirectory, ChapCredentials chap, byte[] naa) {
        this.volume = volume;
        this.unit = new LogicalUnit(volume, LogicalUnitIdentity.quarry(naa, "INITIATOR TEST", "0100",
                "SERIAL" + java.util.HexFormat.of().formatHex(naa, 12, 16)),
                new FileLogicalUnitStateStore(stateDirectory.resolve("lu.state"), stateIo));
        ScsiTargetDevice device = new ScsiTargetDevice(TARGET, List.of(1));
        device.map(0, unit);
        TargetEntry entry = TargetEntry.open(TARGET, device);
        targets.put(chap == null ? entry : entry.withChap(chap));
        this.server = start(0);
        this.port = server.port();
    }

    InetSocketAddress address() {
        return new InetSocketAddress("127.0.0.1", port);
    }

    RemoteTarget remote() {
        return RemoteTarget.of(address(), TARGET, 0);
    }

    BlockVolume volume() {
        return volume;
    }

    IscsiServer server() {
        return server;
    }

    /** Shuts the server down gracefully (initiators are asked to log out) and starts a new one on the same port. */
    void restart(Duration grace) {
        server.shutdownGracefully(grace).join();
        server = start(port);
    }

    private IscsiServer start(int onPort) {
        IscsiServerConfig config = IscsiServerConfig.defaults()
                .withPortals(List.of(new InetSocketAddress("127.0.0.1", onPort)))
                .withTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(30), Duration.ofSeconds(5), Duration.ofSeconds(2),
                        Duration.ofSeconds(2))
                .withIoThreads(1, true);
        return IscsiServer.start(config, targets);
    }

    @Override
    public void close() {
        server.shutdownGracefully(Duration.ofMillis(200)).join();
        unit.close();
        volume.close();
        stateIo.shutdown();
    }
}
