package dev.quarry.iscsi.initiator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.quarry.block.BlockIoException;
import dev.quarry.block.SenseCode;
import dev.quarry.block.WriteOptions;
import dev.quarry.block.testing.MemoryBlockVolume;
import dev.quarry.iscsi.login.ChapCredentials;
import dev.quarry.iscsi.login.DigestPolicy;
import dev.quarry.iscsi.testing.Await;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The initiator against an in-process Quarry target (IscsiServer, ScsiTargetDevice, LogicalUnit
 * over a memory volume) on real sockets: identity and data, FUA and flush, transfers split into
 * commands, R2T sequences and unsolicited data with CRC32C digests, CHAP one-way and mutual,
 * medium errors, capacity changes, UNMAP, connections cut and a target restarted under a write
 * load, a hung command, a target gone (and back), and a LUN that changed behind a reconnect.
 */
class QuarryInitiatorIT {

    private static final long SIZE = 64L << 20;
    private static final String USER = "quarry-node";
    private static final String SECRET = "initiator-secret-1";
    private static final String TARGET_USER = "quarry-target";
    private static final String TARGET_SECRET = "target-secret-22";

    @TempDir
    Path state;

    private static InitiatorConfig config() {
        return InitiatorConfig.defaults("iqn.2026-11.dev.quarry:initiator-quarry-it");
    }

    private static RemoteLun open(IscsiInitiator initiator, RemoteTarget target) {
        return initiator.open(target).orTimeout(20, TimeUnit.SECONDS).join();
    }

    @Test
    void shouldIdentifyTheLunAndReadBackRandomData() {
        try (QuarryTarget target = new QuarryTarget(new MemoryBlockVolume(SIZE), state, null);
             IscsiInitiator initiator = IscsiInitiator.start(config());
             RemoteLun lun = open(initiator, target.remote())) {
            assertThat(lun.identity().naa()).isEqualTo(QuarryTarget.NAA);
            assertThat(lun.identity().vendorId()).isEqualTo("QUARRY");
            assertThat(lun.identity().serialNumber()).isEqualTo("SERIAL05060708");
            assertThat(lun.blockSize()).isEqualTo(512);
            assertThat(lun.blockCount()).isEqualTo(SIZE / 512);
            long lba = 1;
            for (int blocks : new int[] {1, 3, 8, 100, 1024, 8192, 20000}) {
                byte[] bytes = LunIo.random(blocks * 512);
                LunIo.write(lun, lba, bytes, WriteOptions.CACHED);
                LunIo.assertReadsBack(lun, lba, bytes);
                lba += blocks;
            }
            assertThatThrownBy(() -> lun.read(lun.blockCount() - 1, 2).join()).cause()
                    .isInstanceOf(BlockIoException.class)
                    .satisfies(e -> assertThat(((BlockIoException) e).sense()).isEqualTo(SenseCode.LBA_OUT_OF_RANGE));
        }
    }

    @Test
    void shouldWriteWithForceUnitAccessAndFlush() {
        try (QuarryTarget target = new QuarryTarget(new MemoryBlockVolume(SIZE), state, null);
             IscsiInitiator initiator = IscsiInitiator.start(config());
             RemoteLun lun = open(initiator, target.remote())) {
            byte[] bytes = LunIo.random(128 << 10);
            LunIo.write(lun, 9000, bytes, WriteOptions.FUA);
            lun.flush().orTimeout(10, TimeUnit.SECONDS).join();
            assertThat(LunIo.read(target.volume(), 9000, 256)).isEqualTo(bytes);
        }
    }

    @Test
    void shouldSplitTransfersIntoCommandsSequencesAndDigestedPdus() {
        InitiatorConfig small = config().toBuilder().maxTransferBytes(64 << 10).dataLengths(4096, 16384, 8192, 2)
                .digests(DigestPolicy.REQUIRED, DigestPolicy.REQUIRED).unsolicitedData(true, false).build();
        try (QuarryTarget target = new QuarryTarget(new MemoryBlockVolume(SIZE), state, null);
             IscsiInitiator initiator = IscsiInitiator.start(small);
             RemoteLun lun = open(initiator, target.remote())) {
            assertThat(lun.limits().maxTransferBlocks()).isEqualTo(128);
            byte[] bytes = LunIo.random((4 << 20) + 3 * 512);
            LunIo.write(lun, 77, bytes, WriteOptions.CACHED);
            assertThat(LunIo.read(target.volume(), 77, bytes.length / 512)).isEqualTo(bytes);
            LunIo.assertReadsBack(lun, 77, bytes);
        }
        InitiatorConfig solicitedOnly = small.toBuilder().unsolicitedData(false, true).build();
        try (QuarryTarget target = new QuarryTarget(new MemoryBlockVolume(SIZE), state, null);
             IscsiInitiator initiator = IscsiInitiator.start(solicitedOnly);
             RemoteLun lun = open(initiator, target.remote())) {
            byte[] bytes = LunIo.random(300 << 10);
            LunIo.write(lun, 3, bytes, WriteOptions.CACHED);
            LunIo.assertReadsBack(lun, 3, bytes);
        }
    }

    @Test
    void shouldSplitAtTheRemotesMaximumTransferLength() {
        InitiatorConfig large = config().toBuilder().maxTransferBytes(64 << 20).build();
        try (QuarryTarget target = new QuarryTarget(new MemoryBlockVolume(SIZE), state, null);
             IscsiInitiator initiator = IscsiInitiator.start(large);
             RemoteLun lun = open(initiator, target.remote())) {
            assertThat(lun.limits().maxTransferBlocks()).as("Quarry's MAXIMUM TRANSFER LENGTH, 32 MiB").isEqualTo(65536);
            byte[] bytes = LunIo.random(12 << 20);
            LunIo.write(lun, 0, bytes, WriteOptions.CACHED);
            LunIo.write(target.volume(), 24576, bytes, WriteOptions.CACHED);
            LunIo.write(target.volume(), 73728, LunIo.random(16 << 20), WriteOptions.CACHED);
            byte[] whole = LunIo.read(lun, 0, 100 * 1024);
            assertThat(java.util.Arrays.copyOfRange(whole, 0, 12 << 20)).isEqualTo(bytes);
            assertThat(java.util.Arrays.copyOfRange(whole, 24576 * 512, 24576 * 512 + (12 << 20))).isEqualTo(bytes);
            assertThat(java.util.Arrays.copyOfRange(whole, 73728 * 512, 100 * 1024 * 512))
                    .isEqualTo(LunIo.read(target.volume(), 73728, 100 * 1024 - 73728));
        }
    }

    @Test
    void shouldLogInWithChapAndRefuseAWrongSecret() {
        try (QuarryTarget target = new QuarryTarget(new MemoryBlockVolume(SIZE), state, ChapCredentials.of(USER, SECRET));
             IscsiInitiator initiator = IscsiInitiator.start(config())) {
            try (RemoteLun lun = open(initiator, target.remote().withChap(ChapCredentials.of(USER, SECRET)))) {
                LunIo.write(lun, 0, LunIo.random(4096), WriteOptions.CACHED);
            }
            assertThatThrownBy(() -> open(initiator, target.remote().withChap(ChapCredentials.of(USER, "a-wrong-secret-00"))))
                    .cause().isInstanceOf(LoginRefusedException.class)
                    .satisfies(e -> assertThat(((LoginRefusedException) e).status()).isEqualTo(0x0201))
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain("a-wrong-secret-00"));
        }
    }

    @Test
    void shouldAuthenticateTheTargetInMutualChap() {
        ChapCredentials targetSide = ChapCredentials.mutual(USER, SECRET, TARGET_USER, TARGET_SECRET);
        try (QuarryTarget target = new QuarryTarget(new MemoryBlockVolume(SIZE), state, targetSide);
             IscsiInitiator initiator = IscsiInitiator.start(config())) {
            try (RemoteLun lun = open(initiator, target.remote().withChap(targetSide))) {
                LunIo.write(lun, 0, LunIo.random(4096), WriteOptions.CACHED);
            }
            ChapCredentials wrongTarget = ChapCredentials.mutual(USER, SECRET, TARGET_USER, "not-the-target-one");
            assertThatThrownBy(() -> open(initiator, target.remote().withChap(wrongTarget)))
                    .cause().isInstanceOf(LoginRefusedException.class)
                    .hasMessageContaining("mutual CHAP")
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain("not-the-target-one"));
        }
    }

    @Test
    void shouldPassMediumErrorsThroughWithTheirLba() {
        FaultyVolume volume = new FaultyVolume(SIZE);
        try (QuarryTarget target = new QuarryTarget(volume, state, null);
             IscsiInitiator initiator = IscsiInitiator.start(config());
             RemoteLun lun = open(initiator, target.remote())) {
            volume.unreadable(5003);
            assertThatThrownBy(() -> LunIo.read(lun, 4990, 32)).cause().isInstanceOf(BlockIoException.class)
                    .satisfies(e -> {
                        BlockIoException failure = (BlockIoException) e;
                        assertThat(failure.sense()).isEqualTo(SenseCode.UNRECOVERED_READ_ERROR);
                        assertThat(failure.informationValid()).isTrue();
                        assertThat(failure.information()).isEqualTo(5003);
                    });
            assertThat(LunIo.read(lun, 5004, 8)).hasSize(4096);
        }
    }

    @Test
    void shouldRefreshTheCapacityWhenTheLunGrows() {
        FaultyVolume volume = new FaultyVolume(SIZE);
        try (QuarryTarget target = new QuarryTarget(volume, state, null);
             IscsiInitiator initiator = IscsiInitiator.start(config());
             RemoteLun lun = open(initiator, target.remote())) {
            volume.delegate().grow(2 * SIZE);
            byte[] bytes = LunIo.random(4096);
            LunIo.write(lun, 100, bytes, WriteOptions.CACHED);
            Await.until(() -> lun.blockCount() == 2 * SIZE / 512, Duration.ofSeconds(10), "the new capacity");
            LunIo.write(lun, lun.blockCount() - 8, bytes, WriteOptions.CACHED);
            LunIo.assertReadsBack(lun, lun.blockCount() - 8, bytes);
        }
    }

    @Test
    void shouldUnmapWhatTheLunAdvertises() {
        MemoryBlockVolume volume = new MemoryBlockVolume(SIZE);
        try (QuarryTarget target = new QuarryTarget(volume, state, null);
             IscsiInitiator initiator = IscsiInitiator.start(config());
             RemoteLun lun = open(initiator, target.remote())) {
            assertThat(lun.unmapSupported()).isTrue();
            LunIo.write(lun, 4096, LunIo.random(1 << 20), WriteOptions.CACHED);
            int before = volume.allocatedPages();
            lun.unmap(4096, 2048).orTimeout(10, TimeUnit.SECONDS).join();
            assertThat(volume.allocatedPages()).isEqualTo(before - 256);
            assertThat(LunIo.read(lun, 4096, 2048)).isEqualTo(new byte[1 << 20]);
        }
    }

    @Test
    void shouldKeepEveryAcknowledgedWriteWhenConnectionsDrop() throws Exception {
        try (QuarryTarget target = new QuarryTarget(new MemoryBlockVolume(SIZE), state, null);
             TcpProxy proxy = new TcpProxy(target.address());
             IscsiInitiator initiator = IscsiInitiator.start(config());
             RemoteLun lun = open(initiator, RemoteTarget.of(proxy.address(), QuarryTarget.TARGET, 0))) {
            LunIo.WriteLoad load = new LunIo.WriteLoad(lun, 1000, 32, 32 << 10);
            for (int drop = 0; drop < 4; drop++) {
                // Each drop must hit a live connection: wait for the previous reconnect first.
                long logins = lun.statistics().logins();
                Thread.sleep(300);
                proxy.dropConnections();
                Await.until(() -> lun.statistics().logins() > logins, Duration.ofSeconds(20), "a login after drop " + drop);
            }
            Thread.sleep(300);
            load.stop();
            assertThat(load.failure()).isNull();
            assertThat(lun.statistics().connectionLosses()).isGreaterThanOrEqualTo(4);
            assertThat(lun.statistics().commandsReissued()).isPositive();
            load.verify();
            for (int slot = 0; slot < 32; slot++) {
                long lba = 1000 + slot * 64L;
                assertThat(LunIo.read(target.volume(), lba, 64)).isEqualTo(LunIo.read(lun, lba, 64));
            }
        }
    }

    @Test
    void shouldLogOutAndBackInWhenTheTargetRestarts() throws Exception {
        try (QuarryTarget target = new QuarryTarget(new MemoryBlockVolume(SIZE), state, null);
             IscsiInitiator initiator = IscsiInitiator.start(config());
             RemoteLun lun = open(initiator, target.remote())) {
            LunIo.WriteLoad load = new LunIo.WriteLoad(lun, 0, 16, 16 << 10);
            Thread.sleep(300);
            target.restart(Duration.ofSeconds(2));
            Await.until(() -> lun.statistics().logins() >= 2, Duration.ofSeconds(20), "a login to the restarted target");
            Thread.sleep(300);
            load.stop();
            assertThat(load.failure()).isNull();
            assertThat(lun.statistics().logoutRequests()).isEqualTo(1);
            load.verify();
        }
    }

    @Test
    void shouldRecoverFromACommandThatGetsNoAnswer() {
        FaultyVolume volume = new FaultyVolume(SIZE);
        InitiatorConfig impatient = config().toBuilder()
                .timeouts(Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(1), Duration.ofSeconds(2)).build();
        try (QuarryTarget target = new QuarryTarget(volume, state, null);
             IscsiInitiator initiator = IscsiInitiator.start(impatient);
             RemoteLun lun = open(initiator, target.remote())) {
            volume.holdWrites(1, 2500);
            byte[] bytes = LunIo.random(8192);
            LunIo.write(lun, 640, bytes, WriteOptions.CACHED);
            assertThat(lun.statistics().timeouts()).isPositive();
            assertThat(lun.statistics().commandsReissued()).isPositive();
            LunIo.assertReadsBack(lun, 640, bytes);
        }
    }

    @Test
    void shouldFailWhileTheTargetIsGoneAndServeAgainWhenItIsBack() throws Exception {
        InitiatorConfig quick = config().toBuilder()
                .recovery(Duration.ofSeconds(2), Duration.ofMillis(50), Duration.ofMillis(300)).build();
        try (QuarryTarget target = new QuarryTarget(new MemoryBlockVolume(SIZE), state, null);
             TcpProxy proxy = new TcpProxy(target.address());
             IscsiInitiator initiator = IscsiInitiator.start(quick);
             RemoteLun lun = open(initiator, RemoteTarget.of(proxy.address(), QuarryTarget.TARGET, 0))) {
            byte[] bytes = LunIo.random(4096);
            LunIo.write(lun, 0, bytes, WriteOptions.CACHED);
            proxy.refuse(true);
            proxy.dropConnections();
            long started = System.nanoTime();
            assertThatThrownBy(() -> LunIo.read(lun, 0, 8)).cause().isInstanceOf(BlockIoException.class)
                    .satisfies(e -> assertThat(((BlockIoException) e).sense()).isEqualTo(SenseCode.COMMUNICATION_FAILURE));
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isBetween(Duration.ofMillis(1500), Duration.ofSeconds(5));
            assertThatThrownBy(() -> LunIo.write(lun, 8, bytes, WriteOptions.CACHED)).cause()
                    .isInstanceOf(BlockIoException.class);
            proxy.refuse(false);
            Await.until(() -> lun.statistics().state().equals("READY"), Duration.ofSeconds(10), "the session back");
            LunIo.assertReadsBack(lun, 0, bytes);
        }
    }

    @Test
    void shouldGiveUpASessionWhoseLunChangedBehindAReconnect() throws Exception {
        byte[] otherNaa = QuarryTarget.NAA.clone();
        otherNaa[15] = 0x42;
        try (QuarryTarget first = new QuarryTarget(new MemoryBlockVolume(SIZE), state.resolve("a"), null);
             QuarryTarget second = new QuarryTarget(new MemoryBlockVolume(SIZE), state.resolve("b"), null, otherNaa);
             TcpProxy proxy = new TcpProxy(first.address());
             IscsiInitiator initiator = IscsiInitiator.start(config());
             RemoteLun lun = open(initiator, RemoteTarget.of(proxy.address(), QuarryTarget.TARGET, 0))) {
            LunIo.write(lun, 0, LunIo.random(4096), WriteOptions.CACHED);
            proxy.upstream(second.address());
            proxy.dropConnections();
            assertThatThrownBy(() -> LunIo.write(lun, 0, LunIo.random(4096), WriteOptions.CACHED)).cause()
                    .isInstanceOf(BlockIoException.class).hasMessageContaining("now presents");
            assertThat(LunIo.read(second.volume(), 0, 8)).isEqualTo(new byte[4096]);
            assertThat(lun.statistics().state()).isEqualTo("CLOSED");
        }
    }

    @Test
    void shouldFailToOpenWhatIsNotThere() throws IOException {
        InitiatorConfig quick = config().toBuilder()
                .timeouts(Duration.ofSeconds(2), Duration.ofSeconds(1), Duration.ofSeconds(30), Duration.ofSeconds(2)).build();
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        try (QuarryTarget target = new QuarryTarget(new MemoryBlockVolume(SIZE), state, null);
             IscsiInitiator initiator = IscsiInitiator.start(quick)) {
            assertThatThrownBy(() -> open(initiator, RemoteTarget.of(new InetSocketAddress("127.0.0.1", closedPort),
                    QuarryTarget.TARGET, 0))).isInstanceOf(CompletionException.class).cause()
                    .isInstanceOf(BlockIoException.class).hasMessageContaining("cannot log in");
            assertThatThrownBy(() -> open(initiator, RemoteTarget.of(target.address(), QuarryTarget.TARGET, 7)))
                    .cause().isInstanceOf(BlockIoException.class).hasMessageContaining("logical unit not supported");
            assertThatThrownBy(() -> open(initiator, RemoteTarget.of(target.address(), "iqn.2026-11.dev.quarry:nobody", 0)))
                    .cause().isInstanceOf(LoginRefusedException.class).hasMessageContaining("0x0203");
        }
        assertThat(Files.exists(state)).isTrue();
    }
}
