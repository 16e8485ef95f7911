package dev.quarry.iscsi.scsi;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quarry.block.testing.MemoryBlockVolume;
import io.netty.buffer.ByteBuf;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a logical unit reports to its {@link LogicalUnitMetrics}: kind, bytes, latency, outcome, nexus and queue depth. */
class LogicalUnitMetricsTest {

    private final List<Recorded> recorded = new CopyOnWriteArrayList<>();
    private final LogicalUnitMetrics recorder = (nexus, kind, bytes, nanos, good) ->
            recorded.add(new Recorded(nexus.initiatorName(), kind, bytes, nanos, good));
    private final CompletableFuture<Void> readGate = new CompletableFuture<>();
    private volatile boolean holdReads;
    private ScsiHarness harness;

    @TempDir
    Path directory;

    record Recorded(String initiator, CommandKind kind, long bytes, long nanos, boolean good) {
    }

    @AfterEach
    void tearDown() {
        readGate.complete(null);
        if (harness != null) {
            harness.close();
        }
    }

    private Initiator host() {
        harness = new ScsiHarness(new ForwardingVolume(new MemoryBlockVolume(ScsiHarness.SIZE), false, true, true) {
            @Override
            public CompletableFuture<ByteBuf> read(long lba, int blocks) {
                return holdReads ? readGate.thenCompose(v -> super.read(lba, blocks)) : super.read(lba, blocks);
            }
        }, directory, recorder);
        Initiator host = harness.initiator();
        recorded.clear();
        return host;
    }

    @Test
    void shouldReportReadsAndWritesWithTheirBytesAndOtherCommandsWithNone() {
        Initiator host = host();
        assertThat(host.send(Cdbs.write10(0, 8), new byte[4096]).good()).isTrue();
        assertThat(host.send(Cdbs.read16(0, 16)).good()).isTrue();
        assertThat(host.send(Cdbs.testUnitReady()).good()).isTrue();
        assertThat(host.send(Cdbs.writeSame16(0, 8, 0), new byte[512]).good()).isTrue();

        assertThat(recorded).extracting(Recorded::kind)
                .containsExactly(CommandKind.WRITE, CommandKind.READ, CommandKind.OTHER, CommandKind.OTHER);
        assertThat(recorded).extracting(Recorded::bytes).containsExactly(4096L, 8192L, 0L, 0L);
        assertThat(recorded).allSatisfy(r -> {
            assertThat(r.good()).isTrue();
            assertThat(r.nanos()).isPositive();
            assertThat(r.initiator()).isEqualTo(ScsiHarness.INITIATOR);
        });
    }

    @Test
    void shouldReportAFailedCommandAsNotGoodWithoutBytes() {
        Initiator host = host();
        assertThat(host.send(Cdbs.read10(ScsiHarness.BLOCKS, 8)).code()).isEqualTo("05/21/00");
        assertThat(recorded).containsExactly(new Recorded(ScsiHarness.INITIATOR, CommandKind.READ, 0, recorded.get(0).nanos(), false));
    }

    @Test
    void shouldCountTasksInTheTaskSetAsQueueDepthAndTimeThemUntilTheyFinish() throws Exception {
        Initiator host = host();
        holdReads = true;
        CompletableFuture<ScsiResponse> first = host.sendAsync(Cdbs.read10(0, 8), null, TaskAttribute.SIMPLE, host.nextTag());
        CompletableFuture<ScsiResponse> second = host.sendAsync(Cdbs.read10(8, 8), null, TaskAttribute.SIMPLE, host.nextTag());
        assertThat(harness.unit.queueDepth()).isEqualTo(2);
        assertThat(recorded).isEmpty();
        long heldNanos = TimeUnit.MILLISECONDS.toNanos(20);
        Thread.sleep(20);
        readGate.complete(null);
        for (CompletableFuture<ScsiResponse> f : List.of(first, second)) {
            ScsiResponse response = f.get(5, TimeUnit.SECONDS);
            assertThat(response.status()).isEqualTo(ScsiStatus.GOOD);
            response.dataIn().release();
        }
        assertThat(harness.unit.queueDepth()).isZero();
        assertThat(recorded).hasSize(2).allSatisfy(r -> assertThat(r.nanos()).isGreaterThanOrEqualTo(heldNanos));
    }

    @Test
    void shouldClassifyEveryReadAndWriteOpcodeAndNothingElse() {
        assertThat(List.of(0x08, 0x28, 0xA8, 0x88)).allSatisfy(op -> assertThat(CommandKind.of(op)).isEqualTo(CommandKind.READ));
        assertThat(List.of(0x0A, 0x2A, 0xAA, 0x8A, 0x2E, 0xAE, 0x8E))
                .allSatisfy(op -> assertThat(CommandKind.of(op)).isEqualTo(CommandKind.WRITE));
        assertThat(List.of(0x00, 0x12, 0x35, 0x41, 0x42, 0x89, 0x93, -1, 256))
                .allSatisfy(op -> assertThat(CommandKind.of(op)).isEqualTo(CommandKind.OTHER));
    }
}
