package dev.quarry.appliance.disk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.quarry.block.BlockIoException;
import dev.quarry.block.BlockVolume;
import dev.quarry.block.SenseCode;
import dev.quarry.block.WriteOptions;
import dev.quarry.block.testing.MemoryBlockVolume;
import dev.quarry.iscsi.initiator.InitiatorConfig;
import dev.quarry.iscsi.login.ChapCredentials;
import dev.quarry.iscsi.scsi.FileLogicalUnitStateStore;
import dev.quarry.iscsi.scsi.LogicalUnit;
import dev.quarry.iscsi.scsi.LogicalUnitIdentity;
import dev.quarry.iscsi.scsi.ScsiTargetDevice;
import dev.quarry.iscsi.server.IscsiServer;
import dev.quarry.iscsi.server.IscsiServerConfig;
import dev.quarry.iscsi.server.TargetEntry;
import dev.quarry.iscsi.server.TargetRegistry;
import dev.quarry.iscsi.testing.Tgtd;
import dev.quarry.volume.VolumeManager;
import dev.quarry.volume.VolumeManagerConfig;
import dev.quarry.volume.disk.DiskRecord;
import dev.quarry.volume.disk.DiskState;
import dev.quarry.volume.disk.FileDiskOpener;
import dev.quarry.volume.disk.TierClass;
import dev.quarry.volume.pool.DiskSpec;
import dev.quarry.volume.pool.PoolSpec;
import dev.quarry.volume.thin.VolumeSpec;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A pool whose only disk is a LUN of another array, reached through the iSCSI initiator: once on
 * a tgtd child process, once on a second, in-process Quarry. A thin volume in it takes data that
 * reads back, and after the volume manager restarts (with a new opener reading the secret store)
 * the remote disk is recognised by its label and the data is intact. The disk record and the
 * metadata never hold the CHAP secret.
 */
@Timeout(120)
class RemoteDiskIT {

    private static final int TGTD_PORT = 3570;
    private static final int TGTD_CONTROL = 50;
    private static final String INITIATOR = "iqn.2026-11.dev.quarry:appliance-remote-disk-it";
    private static final String USER = "appliance";
    private static final String SECRET = "remote-disk-secret-7";
    private static final long LUN_BYTES = 256L << 20;

    @TempDir
    Path dir;

    @Test
    void shouldKeepAPoolOnATgtdLunAcrossARestart() throws Exception {
        Path backing = dir.resolve("tgt-lun.img");
        try (RandomAccessFile file = new RandomAccessFile(backing.toFile(), "rw")) {
            file.setLength(LUN_BYTES);
        }
        String target = "iqn.2026-11.dev.quarry:remote-disk-tgtd";
        try (Tgtd tgtd = Tgtd.start(TGTD_PORT, TGTD_CONTROL, dir)) {
            tgtd.addTarget(1, target);
            tgtd.addLun(1, 1, backing, false);
            tgtd.addAccount(USER, SECRET);
            tgtd.requireChap(1, USER);
            poolOnRemoteLun("iscsi://" + USER + "%" + SECRET + "@127.0.0.1:" + TGTD_PORT + "/" + target + "/1");
        }
    }

    @Test
    void shouldKeepAPoolOnAnotherQuarrysLunAcrossARestart() throws Exception {
        String target = "iqn.2026-11.dev.quarry:remote-disk-peer";
        try (Peer peer = new Peer(target, ChapCredentials.of(USER, SECRET))) {
            poolOnRemoteLun("iscsi://" + USER + "%" + SECRET + "@127.0.0.1:" + peer.server.port() + "/" + target + "/0");
            assertThat(peer.volume.allocatedPages()).as("the data went to the peer's LUN").isPositive();
        }
    }

    @Test
    void shouldMarkTheRemoteDiskFailedWhenItsTargetIsGoneForGood() throws Exception {
        String target = "iqn.2026-11.dev.quarry:remote-disk-gone";
        InitiatorConfig quick = InitiatorConfig.defaults(INITIATOR).toBuilder()
                .recovery(Duration.ofSeconds(2), Duration.ofMillis(50), Duration.ofMillis(300)).build();
        try (Peer peer = new Peer(target, null);
             IscsiDiskOpener opener = IscsiDiskOpener.start(quick, dir.resolve("iscsi-chap"));
             VolumeManager manager = VolumeManager.open(dir.resolve("appliance"), config(opener))) {
            manager.pools().createPool(new PoolSpec("remote", 4 << 20, 80, 95, TierClass.SAS));
            manager.pools().addDisk("remote", new DiskSpec(opener.register("iscsi://127.0.0.1:" + peer.server.port() + "/"
                    + target + "/0"), TierClass.SAS, "peer-array"));
            manager.volumes().createVolume(new VolumeSpec("thin-on-remote", 64L << 20, "remote", null));
            BlockVolume volume = manager.volumes().open("thin-on-remote");
            write(volume, 0, random(32 << 10));
            peer.server.shutdownGracefully(Duration.ofMillis(500)).join();
            long started = System.nanoTime();
            assertThatThrownBy(() -> write(volume, 128, random(32 << 10))).isInstanceOf(CompletionException.class)
                    .cause().isInstanceOf(BlockIoException.class)
                    .satisfies(e -> assertThat(((BlockIoException) e).sense()).isEqualTo(SenseCode.COMMUNICATION_FAILURE));
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
            assertThat(manager.pools().statistics("remote").disks()).singleElement()
                    .satisfies(disk -> assertThat(disk.state()).isEqualTo(DiskState.FAILED));
        }
    }

    /** A second, in-process Quarry exporting a 256 MiB memory LUN as LUN 0 of {@code target}. */
    private final class Peer implements AutoCloseable {
        final ExecutorService stateIo = Executors.newSingleThreadExecutor();
        final MemoryBlockVolume volume = new MemoryBlockVolume(LUN_BYTES);
        final LogicalUnit unit;
        final IscsiServer server;

        Peer(String target, ChapCredentials chap) {
            unit = new LogicalUnit(volume, LogicalUnitIdentity.quarry(
                    new byte[] {0x60, 0x0A, 0x51, 0x52, 0, 0, 0, 2, 9, 9, 9, 9, 9, 9, 9, 9}, "PEER DISK", "0100", "PEER0001"),
                    new FileLogicalUnitStateStore(dir.resolve("peer-lu.state"), stateIo));
            ScsiTargetDevice device = new ScsiTargetDevice(target, List.of(1));
            device.map(0, unit);
            TargetRegistry targets = new TargetRegistry();
            TargetEntry entry = TargetEntry.open(target, device);
            targets.put(chap == null ? entry : entry.withChap(chap));
            server = IscsiServer.start(IscsiServerConfig.defaults()
                    .withPortals(List.of(new InetSocketAddress("127.0.0.1", 0))).withIoThreads(1, true), targets);
        }

        @Override
        public void close() {
            server.shutdownGracefully(Duration.ofMillis(200)).join();
            unit.close();
            volume.close();
            stateIo.shutdown();
        }
    }

    /** A pool on the LUN behind {@code locator}, a thin volume, data, a restart, and the data again. */
    private void poolOnRemoteLun(String locator) throws IOException {
        Path data = dir.resolve("appliance");
        Path secretFile = data.resolve("secrets").resolve("iscsi-chap");
        Map<Long, byte[]> written = new LinkedHashMap<>();
        String stored;
        try (IscsiDiskOpener opener = IscsiDiskOpener.start(INITIATOR, secretFile);
             VolumeManager manager = VolumeManager.open(data, config(opener))) {
            stored = opener.register(locator);
            assertThat(stored).doesNotContain(SECRET);
            manager.pools().createPool(new PoolSpec("remote", 4 << 20, 80, 95, TierClass.SAS));
            DiskRecord disk = manager.pools().addDisk("remote", new DiskSpec(stored, TierClass.SAS, "peer-array"));
            assertThat(disk.locator()).isEqualTo(stored);
            assertThat(disk.segmentCount()).isEqualTo(63);
            manager.volumes().createVolume(new VolumeSpec("thin-on-remote", 64L << 20, "remote", null));
            BlockVolume volume = manager.volumes().open("thin-on-remote");
            for (long lba : new long[] {0, 64, 4096, 65536, (64L << 20) / 512 - 64}) {
                byte[] bytes = random(32 << 10);
                write(volume, lba, bytes);
                written.put(lba, bytes);
            }
            volume.flush().orTimeout(30, TimeUnit.SECONDS).join();
            written.forEach((lba, bytes) -> assertThat(read(volume, lba, bytes.length)).isEqualTo(bytes));
        }
        try (IscsiDiskOpener opener = IscsiDiskOpener.start(INITIATOR, secretFile);
             VolumeManager manager = VolumeManager.open(data, config(opener))) {
            assertThat(manager.pools().statistics("remote").disks()).singleElement()
                    .satisfies(disk -> assertThat(disk.state()).isEqualTo(DiskState.ONLINE));
            BlockVolume volume = manager.volumes().open("thin-on-remote");
            written.forEach((lba, bytes) -> assertThat(read(volume, lba, bytes.length)).isEqualTo(bytes));
        }
        assertThat(secretsInMetadata(data)).as("the CHAP secret never reaches the metadata store").isFalse();
    }

    private static VolumeManagerConfig config(IscsiDiskOpener opener) {
        return VolumeManagerConfig.DEFAULT.withOpeners(List.of(new FileDiskOpener(), opener));
    }

    private static byte[] random(int length) {
        byte[] bytes = new byte[length];
        ThreadLocalRandom.current().nextBytes(bytes);
        return bytes;
    }

    private static void write(BlockVolume volume, long lba, byte[] bytes) {
        ByteBuf buffer = ByteBufAllocator.DEFAULT.directBuffer(bytes.length).writeBytes(bytes);
        volume.write(lba, buffer, WriteOptions.CACHED).orTimeout(30, TimeUnit.SECONDS).join();
    }

    private static byte[] read(BlockVolume volume, long lba, int length) {
        ByteBuf buffer = volume.read(lba, length / volume.blockSize()).orTimeout(30, TimeUnit.SECONDS).join();
        try {
            byte[] bytes = new byte[buffer.readableBytes()];
            buffer.getBytes(buffer.readerIndex(), bytes);
            return bytes;
        } finally {
            buffer.release();
        }
    }

    /** Whether any file of the metadata store (SST, WAL, manifest) holds the secret's bytes. */
    private static boolean secretsInMetadata(Path data) throws IOException {
        byte[] needle = SECRET.getBytes(StandardCharsets.UTF_8);
        try (Stream<Path> files = Files.walk(data.resolve("metadata"))) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                if (indexOf(Files.readAllBytes(file), needle) >= 0) {
                    return true;
                }
            }
        }
        return false;
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
