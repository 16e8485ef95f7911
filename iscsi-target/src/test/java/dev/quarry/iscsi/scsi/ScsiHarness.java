package dev.quarry.iscsi.scsi;

import dev.quarry.block.BlockVolume;
import dev.quarry.block.testing.MemoryBlockVolume;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/** A SCSI target with one logical unit at LUN 0, over a volume, with its state kept in a directory. */
final class ScsiHarness implements AutoCloseable {

    static final String TARGET = "iqn.2026-01.dev.quarry:test";
    static final String INITIATOR = "iqn.2026-01.dev.quarry:host-a";
    static final String OTHER_INITIATOR = "iqn.2026-01.dev.quarry:host-b";
    /** 16 MiB: 32768 blocks of 512 bytes. */
    static final long SIZE = 16L << 20;
    static final long BLOCKS = SIZE / 512;

    final BlockVolume volume;
    final ScsiTargetDevice target;
    final LogicalUnit unit;
    final Path stateFile;
    final ExecutorService io = Executors.newSingleThreadExecutor(r -> {
        Thread thread = new Thread(r, "state-store");
        thread.setDaemon(true);
        return thread;
    });

    ScsiHarness(BlockVolume volume, Path directory) {
        this(volume, directory, LogicalUnitMetrics.NONE);
    }

    ScsiHarness(BlockVolume volume, Path directory, LogicalUnitMetrics metrics) {
        this.volume = volume;
        this.stateFile = directory.resolve("lu-0.state");
        this.target = new ScsiTargetDevice(TARGET, List.of(1));
        this.unit = new LogicalUnit(volume, identity(1), new FileLogicalUnitStateStore(stateFile, io), metrics);
        target.map(0, unit);
    }

    /** A thin in-memory volume of {@link #SIZE}. */
    static ScsiHarness thin(Path directory) {
        return new ScsiHarness(new MemoryBlockVolume(SIZE), directory);
    }

    static LogicalUnitIdentity identity(int number) {
        byte[] naa = {0x60, 0x01, 0x40, 0x5a, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, (byte) number};
        return LogicalUnitIdentity.quarry(naa, "Quarry volume", "0001", "QRY-" + number);
    }

    /** A new nexus of {@link #INITIATOR} with unit attentions cleared. */
    Initiator initiator() {
        return initiator(INITIATOR, 0x023d_0000_0001L);
    }

    Initiator initiator(String name, long isid) {
        Initiator initiator = new Initiator(target, new ItNexus(name, isid, TARGET, 1));
        initiator.clearUnitAttentions();
        return initiator;
    }

    /** A new nexus that has not cleared its unit attentions yet. */
    Initiator freshInitiator(String name, long isid, int portalGroup) {
        return new Initiator(target, new ItNexus(name, isid, TARGET, portalGroup));
    }

    MemoryBlockVolume memory() {
        return volume instanceof ForwardingVolume f ? (MemoryBlockVolume) f.delegate : (MemoryBlockVolume) volume;
    }

    @Override
    public void close() {
        unit.close();
        volume.close();
        io.shutdownNow();
    }
}
