package dev.quarry.iscsi.initiator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.quarry.block.BlockIoException;
import dev.quarry.block.SenseCode;
import dev.quarry.block.WriteOptions;
import dev.quarry.iscsi.login.ChapCredentials;
import dev.quarry.iscsi.login.DigestPolicy;
import dev.quarry.iscsi.testing.Await;
import dev.quarry.iscsi.testing.Tgtd;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The initiator against a real tgtd on loopback: data integrity, FUA and flush, transfers split
 * at the maximum transfer length and into many PDUs, one-way and mutual CHAP (right and wrong
 * secrets), UNMAP on a thin LUN, connections cut under a write load, and a target gone for good.
 */
class TgtdInitiatorIT {

    private static final int PORT = 3560;
    private static final int CONTROL = 40;
    private static final String PLAIN = "iqn.2026-11.dev.quarry:tgt-plain";
    private static final String CHAP = "iqn.2026-11.dev.quarry:tgt-chap";
    private static final String MUTUAL = "iqn.2026-11.dev.quarry:tgt-mutual";
    private static final String USER = "quarry-node";
    private static final String SECRET = "initiator-secret-1";
    private static final String TARGET_USER = "tgt-mutual";
    private static final String TARGET_SECRET = "target-secret-22";
    private static final long LUN_BYTES = 128L << 20;

    @TempDir
    static Path directory;
    private static Tgtd tgtd;

    @BeforeAll
    static void startTgtd() throws IOException {
        tgtd = Tgtd.start(PORT, CONTROL, directory);
        tgtd.addTarget(1, PLAIN);
        tgtd.addLun(1, 1, sparseFile("plain.img"), true);
        tgtd.targetParameter(1, "HeaderDigest", "CRC32C,None");
        tgtd.targetParameter(1, "DataDigest", "CRC32C,None");
        tgtd.targetParameter(1, "nop_interval", "1");
        tgtd.targetParameter(1, "nop_count", "3");
        tgtd.addTarget(2, CHAP);
        tgtd.addLun(2, 1, sparseFile("chap.img"), false);
        tgtd.addAccount(USER, SECRET);
        tgtd.addAccount(TARGET_USER, TARGET_SECRET);
        tgtd.requireChap(2, USER);
        tgtd.addTarget(3, MUTUAL);
        tgtd.addLun(3, 1, sparseFile("mutual.img"), false);
        tgtd.requireChap(3, USER);
        tgtd.answerChap(3, TARGET_USER);
    }

    @AfterAll
    static void stopTgtd() {
        if (tgtd != null) {
            tgtd.close();
        }
    }

    private static Path sparseFile(String name) throws IOException {
        Path file = directory.resolve(name);
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.setLength(LUN_BYTES);
        }
        return file;
    }

    private static InitiatorConfig config() {
        return InitiatorConfig.defaults("iqn.2026-11.dev.quarry:initiator-tgtd-it");
    }

    private static RemoteTarget plain() {
        return RemoteTarget.of(tgtd.address(), PLAIN, 1);
    }

    @Test
    void shouldIdentifyTheLunAndReadBackRandomWritesOfManySizes() {
        try (IscsiInitiator initiator = IscsiInitiator.start(config());
             RemoteLun lun = initiator.open(plain()).orTimeout(20, TimeUnit.SECONDS).join()) {
            assertThat(lun.blockSize()).isEqualTo(512);
            assertThat(lun.blockCount()).isEqualTo(LUN_BYTES / 512);
            assertThat(lun.identity().vendorId()).isEqualTo("IET");
            assertThat(lun.identity().serialNumber()).isNotEmpty();
            assertThat(lun.identity().naa()).isNotNull();
            long lba = 7;
            for (int blocks : new int[] {1, 7, 8, 64, 255, 2048, 8191}) {
                byte[] bytes = LunIo.random(blocks * 512);
                LunIo.write(lun, lba, bytes, WriteOptions.CACHED);
                LunIo.assertReadsBack(lun, lba, bytes);
                lba += blocks + 3;
            }
            byte[] last = LunIo.random(4096);
            LunIo.write(lun, lun.blockCount() - 8, last, WriteOptions.CACHED);
            LunIo.assertReadsBack(lun, lun.blockCount() - 8, last);
        }
    }

    @Test
    void shouldWriteWithForceUnitAccessAndFlush() {
        try (IscsiInitiator initiator = IscsiInitiator.start(config());
             RemoteLun lun = initiator.open(plain()).orTimeout(20, TimeUnit.SECONDS).join()) {
            byte[] bytes = LunIo.random(64 << 10);
            LunIo.write(lun, 40_000, bytes, WriteOptions.FUA);
            lun.flush().orTimeout(20, TimeUnit.SECONDS).join();
            LunIo.assertReadsBack(lun, 40_000, bytes);
        }
    }

    @Test
    void shouldSplitLargeTransfersIntoCommandsAndPdus() {
        InitiatorConfig small = config().toBuilder().maxTransferBytes(64 << 10).dataLengths(4096, 16384, 8192, 1)
                .digests(DigestPolicy.REQUIRED, DigestPolicy.REQUIRED).build();
        try (IscsiInitiator initiator = IscsiInitiator.start(small);
             RemoteLun lun = initiator.open(plain()).orTimeout(20, TimeUnit.SECONDS).join()) {
            assertThat(lun.limits().maxTransferBlocks()).isEqualTo(128);
            byte[] bytes = LunIo.random(3 << 20);
            LunIo.write(lun, 100_001, bytes, WriteOptions.CACHED);
            LunIo.assertReadsBack(lun, 100_001, bytes);
        }
    }

    @Test
    void shouldLogInWithChapAndRefuseAWrongSecret() {
        try (IscsiInitiator initiator = IscsiInitiator.start(config())) {
            RemoteTarget chap = RemoteTarget.of(tgtd.address(), CHAP, 1);
            try (RemoteLun lun = initiator.open(chap.withChap(ChapCredentials.of(USER, SECRET)))
                    .orTimeout(20, TimeUnit.SECONDS).join()) {
                byte[] bytes = LunIo.random(8192);
                LunIo.write(lun, 0, bytes, WriteOptions.CACHED);
                LunIo.assertReadsBack(lun, 0, bytes);
            }
            long started = System.nanoTime();
            assertThatThrownBy(() -> initiator.open(chap.withChap(ChapCredentials.of(USER, "not-the-secret-at-all")))
                    .orTimeout(20, TimeUnit.SECONDS).join())
                    .isInstanceOf(CompletionException.class)
                    .cause().isInstanceOf(LoginRefusedException.class)
                    .satisfies(e -> assertThat(((LoginRefusedException) e).status()).isEqualTo(0x0201))
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain("not-the-secret-at-all"));
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
            assertThatThrownBy(() -> initiator.open(chap).orTimeout(20, TimeUnit.SECONDS).join())
                    .cause().isInstanceOf(LoginRefusedException.class);
        }
    }

    @Test
    void shouldVerifyTheTargetInMutualChap() {
        try (IscsiInitiator initiator = IscsiInitiator.start(config())) {
            RemoteTarget mutual = RemoteTarget.of(tgtd.address(), MUTUAL, 1);
            try (RemoteLun lun = initiator.open(mutual.withChap(ChapCredentials.mutual(USER, SECRET, TARGET_USER,
                    TARGET_SECRET))).orTimeout(20, TimeUnit.SECONDS).join()) {
                LunIo.write(lun, 0, LunIo.random(512), WriteOptions.CACHED);
            }
            assertThatThrownBy(() -> initiator.open(mutual.withChap(ChapCredentials.mutual(USER, SECRET, TARGET_USER,
                    "not-the-target-secret"))).orTimeout(20, TimeUnit.SECONDS).join())
                    .cause().isInstanceOf(LoginRefusedException.class)
                    .hasMessageContaining("mutual CHAP")
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain("not-the-target-secret"));
        }
    }

    @Test
    void shouldUnmapOnAThinLun() {
        try (IscsiInitiator initiator = IscsiInitiator.start(config());
             RemoteLun lun = initiator.open(plain()).orTimeout(20, TimeUnit.SECONDS).join()) {
            assertThat(lun.unmapSupported()).isTrue();
            LunIo.write(lun, 200_000, LunIo.random(1 << 20), WriteOptions.CACHED);
            lun.unmap(200_000, 2048).orTimeout(20, TimeUnit.SECONDS).join();
            assertThat(LunIo.read(lun, 200_000, 2048)).isEqualTo(new byte[1 << 20]);
        }
    }

    @Test
    void shouldKeepEveryAcknowledgedWriteWhenConnectionsDrop() throws Exception {
        try (TcpProxy proxy = new TcpProxy(tgtd.address());
             IscsiInitiator initiator = IscsiInitiator.start(config());
             RemoteLun lun = initiator.open(RemoteTarget.of(proxy.address(), PLAIN, 1)).orTimeout(20, TimeUnit.SECONDS).join()) {
            LunIo.WriteLoad load = new LunIo.WriteLoad(lun, 160_000, 16, 64 << 10);
            for (int drop = 0; drop < 3; drop++) {
                // Each drop must hit a live connection: wait for the previous reconnect first.
                long logins = lun.statistics().logins();
                Thread.sleep(400);
                proxy.dropConnections();
                Await.until(() -> lun.statistics().logins() > logins, Duration.ofSeconds(20), "a login after drop " + drop);
            }
            Thread.sleep(400);
            load.stop();
            assertThat(load.failure()).isNull();
            assertThat(lun.statistics().connectionLosses()).isGreaterThanOrEqualTo(3);
            assertThat(lun.statistics().logins()).isGreaterThanOrEqualTo(4);
            assertThat(load.writes()).isGreaterThan(16);
            load.verify();
        }
    }

    @Test
    void shouldFailWithCommunicationFailureWhenTheTargetIsGoneForGood() throws Exception {
        InitiatorConfig quick = config().toBuilder()
                .recovery(Duration.ofSeconds(2), Duration.ofMillis(50), Duration.ofMillis(500)).build();
        try (TcpProxy proxy = new TcpProxy(tgtd.address());
             IscsiInitiator initiator = IscsiInitiator.start(quick);
             RemoteLun lun = initiator.open(RemoteTarget.of(proxy.address(), PLAIN, 1)).orTimeout(20, TimeUnit.SECONDS).join()) {
            LunIo.write(lun, 0, LunIo.random(4096), WriteOptions.CACHED);
            proxy.refuse(true);
            proxy.dropConnections();
            long started = System.nanoTime();
            assertThatThrownBy(() -> LunIo.write(lun, 8, LunIo.random(4096), WriteOptions.CACHED))
                    .cause().isInstanceOf(BlockIoException.class)
                    .satisfies(e -> assertThat(((BlockIoException) e).sense()).isEqualTo(SenseCode.COMMUNICATION_FAILURE));
            Duration took = Duration.ofNanos(System.nanoTime() - started);
            assertThat(took).isBetween(Duration.ofMillis(1500), Duration.ofSeconds(5));
            assertThatThrownBy(() -> LunIo.read(lun, 0, 8)).cause().isInstanceOf(BlockIoException.class);
            assertThat(lun.statistics().state()).isEqualTo("FAILED");
        }
    }
}
