package dev.quarry.iscsi.scsi;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TaskManagementTest {

    @TempDir
    Path directory;
    private GatedVolume volume;
    private ScsiHarness harness;
    private Initiator a;
    private Initiator b;

    @BeforeEach
    void setUp() {
        volume = new GatedVolume();
        harness = new ScsiHarness(volume, directory);
        a = harness.initiator();
        b = harness.initiator(ScsiHarness.OTHER_INITIATOR, 0x11);
    }

    @AfterEach
    void tearDown() {
        volume.open();
        harness.close();
    }

    private static TmfResult await(java.util.concurrent.CompletionStage<TmfResult> tmf) throws Exception {
        return tmf.toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private CompletableFuture<ScsiResponse> write(Initiator host, long tag, TaskAttribute attribute, int lba, int seed) {
        return host.sendAsync(Cdbs.write10(lba, 1), ReadWriteTest.pattern(1, seed), attribute, tag);
    }

    @Test
    void shouldCompleteAbortTaskOnlyOnceTheRunningWriteCanNoLongerTouchTheMedium() throws Exception {
        CompletableFuture<ScsiResponse> response = write(a, 7, TaskAttribute.SIMPLE, 3, 1);
        volume.awaitWrites(1);
        CompletableFuture<TmfResult> abort = a.port.abortTask(a.wireLun(), 7).toCompletableFuture();
        Thread.sleep(50);
        assertThat(abort).as("the write is still in the volume").isNotDone();
        volume.open();
        assertThat(await(abort)).isEqualTo(TmfResult.FUNCTION_COMPLETE);
        Reply reply = Initiator.await(response);
        assertThat(reply.delivered()).as("no response for a task the nexus aborted itself").isFalse();
        byte[] after = a.send(Cdbs.read10(3, 1)).data();
        Thread.sleep(50);
        assertThat(a.send(Cdbs.read10(3, 1)).data()).as("nothing lands after the TMF").isEqualTo(after);
    }

    @Test
    void shouldNeverLandAnAbortedWriteThatWaitedBehindAnOrderedTask() throws Exception {
        CompletableFuture<ScsiResponse> first = write(a, 1, TaskAttribute.ORDERED, 10, 1);
        volume.awaitWrites(1);
        CompletableFuture<ScsiResponse> second = write(a, 2, TaskAttribute.SIMPLE, 11, 2);
        assertThat(await(a.port.abortTask(a.wireLun(), 2))).isEqualTo(TmfResult.FUNCTION_COMPLETE);
        assertThat(Initiator.await(second).delivered()).isFalse();
        volume.open();
        assertThat(Initiator.await(first).good()).isTrue();
        assertThat(a.send(Cdbs.read10(11, 1)).data()).isEqualTo(new byte[512]);
        assertThat(a.send(Cdbs.read10(10, 1)).data()).isEqualTo(ReadWriteTest.pattern(1, 1));
    }

    @Test
    void shouldAnswerAbortOfUnknownTaskWithTaskDoesNotExist() throws Exception {
        assertThat(await(a.port.abortTask(a.wireLun(), 999))).isEqualTo(TmfResult.TASK_DOES_NOT_EXIST);
    }

    @Test
    void shouldOrderTasksByAttribute() throws Exception {
        CompletableFuture<ScsiResponse> simple = write(a, 1, TaskAttribute.SIMPLE, 0, 1);
        volume.awaitWrites(1);
        CompletableFuture<ScsiResponse> ordered = a.sendAsync(Cdbs.inquiry(false, 0, 36), null, TaskAttribute.ORDERED, 2);
        CompletableFuture<ScsiResponse> later = a.sendAsync(Cdbs.inquiry(false, 0, 36), null, TaskAttribute.SIMPLE, 3);
        CompletableFuture<ScsiResponse> head = a.sendAsync(Cdbs.inquiry(false, 0, 36), null, TaskAttribute.HEAD_OF_QUEUE, 4);
        assertThat(Initiator.await(head).good()).as("head of queue goes first").isTrue();
        Thread.sleep(50);
        assertThat(ordered).as("ordered waits for the older write").isNotDone();
        assertThat(later).as("simple waits behind ordered").isNotDone();
        volume.open();
        assertThat(Initiator.await(simple).good()).isTrue();
        assertThat(Initiator.await(ordered).good()).isTrue();
        assertThat(Initiator.await(later).good()).isTrue();
    }

    @Test
    void shouldAbortOtherNexusTasksOnLogicalUnitResetWithTaskAbortedAndTellTheirTransport() throws Exception {
        CompletableFuture<ScsiResponse> theirs = write(b, 1, TaskAttribute.SIMPLE, 5, 1);
        volume.awaitWrites(1);
        CompletableFuture<TmfResult> reset = a.port.logicalUnitReset(a.wireLun()).toCompletableFuture();
        Thread.sleep(50);
        assertThat(reset).isNotDone();
        volume.open();
        assertThat(await(reset)).isEqualTo(TmfResult.FUNCTION_COMPLETE);
        Reply reply = Initiator.await(theirs);
        assertThat(reply.delivered()).isTrue();
        assertThat(reply.status()).isEqualTo(ScsiStatus.TASK_ABORTED);
        assertThat(b.tasksAborted).containsExactly(b.wireLun());
        assertThat(a.tasksAborted).isEmpty();
        assertThat(a.send(Cdbs.testUnitReady()).code()).isEqualTo("06/29/03");
        assertThat(b.send(Cdbs.testUnitReady()).code()).isEqualTo("06/29/03");
    }

    @Test
    void shouldClearOtherNexusTasksSilentlyWithCommandsClearedAttentionWhenTasIsZero() throws Exception {
        byte[] control = new byte[12];
        control[0] = 0x0A;
        control[1] = 0x0A;
        control[2] = 0x02;
        control[3] = 0x10;
        control[8] = (byte) 0xFF;
        control[9] = (byte) 0xFF;
        byte[] list = new byte[16];
        System.arraycopy(control, 0, list, 4, 12);
        assertThat(a.send(Cdbs.modeSelect6(false, 16), list).good()).isTrue();
        b.clearUnitAttentions();
        CompletableFuture<ScsiResponse> theirs = write(b, 1, TaskAttribute.SIMPLE, 5, 1);
        volume.awaitWrites(1);
        CompletableFuture<TmfResult> clear = a.port.clearTaskSet(a.wireLun()).toCompletableFuture();
        volume.open();
        assertThat(await(clear)).isEqualTo(TmfResult.FUNCTION_COMPLETE);
        assertThat(Initiator.await(theirs).delivered()).isFalse();
        assertThat(b.send(Cdbs.testUnitReady()).code()).isEqualTo("06/2F/00");
    }

    @Test
    void shouldAbortOnlyTheIssuingNexusTasksOnAbortTaskSet() throws Exception {
        CompletableFuture<ScsiResponse> theirs = write(b, 1, TaskAttribute.SIMPLE, 5, 1);
        volume.awaitWrites(1);
        assertThat(await(a.port.abortTaskSet(a.wireLun()))).isEqualTo(TmfResult.FUNCTION_COMPLETE);
        volume.open();
        assertThat(Initiator.await(theirs).good()).isTrue();
    }

    @Test
    void shouldResetEveryUnitAndEndEveryNexusOnTargetColdReset() throws Exception {
        volume.open();
        assertThat(a.send(Cdbs.bytes(0x16, 0, 0, 0, 0, 0)).good()).isTrue();
        assertThat(await(a.port.targetReset(true))).isEqualTo(TmfResult.FUNCTION_COMPLETE);
        assertThat(a.coldResets.get()).as("the issuer closes after answering the TMF").isZero();
        assertThat(b.coldResets.get()).isEqualTo(1);
        assertThat(b.send(Cdbs.testUnitReady()).code()).isEqualTo("06/29/00");
        assertThat(b.send(Cdbs.bytes(0x16, 0, 0, 0, 0, 0)).good()).as("RESERVE(6) released").isTrue();
    }

    @Test
    void shouldAbortTheTasksOfAClosedNexusAndReleaseItsReservation() throws Exception {
        volume.open();
        assertThat(a.send(Cdbs.bytes(0x16, 0, 0, 0, 0, 0)).good()).isTrue();
        assertThat(b.send(Cdbs.bytes(0x16, 0, 0, 0, 0, 0)).status()).isEqualTo(ScsiStatus.RESERVATION_CONFLICT);
        a.port.close();
        a.port.close();
        assertThat(b.send(Cdbs.bytes(0x16, 0, 0, 0, 0, 0)).good()).isTrue();
        assertThat(a.send(Cdbs.testUnitReady()).delivered()).as("a closed port answers nothing").isFalse();
    }

    @Test
    void shouldNotSupportClearAcaAndRefuseTheAcaAttribute() throws Exception {
        volume.open();
        assertThat(await(a.port.clearAca(a.wireLun()))).isEqualTo(TmfResult.FUNCTION_NOT_SUPPORTED);
        Reply reply = Initiator.await(a.sendAsync(Cdbs.testUnitReady(), null, TaskAttribute.ACA, 5));
        assertThat(reply.code()).isEqualTo("05/49/00");
    }

    @Test
    void shouldAnswerTaskManagementForAnUnmappedLunWithLunDoesNotExist() throws Exception {
        long unmapped = Lun.encode(9);
        assertThat(await(a.port.abortTask(unmapped, 1))).isEqualTo(TmfResult.LUN_DOES_NOT_EXIST);
        assertThat(await(a.port.logicalUnitReset(unmapped))).isEqualTo(TmfResult.LUN_DOES_NOT_EXIST);
    }

    @Test
    void shouldRefuseATagStillInUse() throws Exception {
        CompletableFuture<ScsiResponse> first = write(a, 42, TaskAttribute.SIMPLE, 0, 1);
        volume.awaitWrites(1);
        Reply duplicate = Initiator.await(a.sendAsync(Cdbs.testUnitReady(), null, TaskAttribute.SIMPLE, 42));
        assertThat(duplicate.code()).isEqualTo("0B/4E/00");
        volume.open();
        assertThat(Initiator.await(first).good()).isTrue();
    }

    @Test
    void shouldRunManyQueuedTasksWithoutRecursion() {
        volume.open();
        java.util.List<CompletableFuture<ScsiResponse>> all = new java.util.ArrayList<>();
        all.add(a.sendAsync(Cdbs.write10(0, 1), new byte[512], TaskAttribute.ORDERED, 1));
        for (int i = 0; i < 3000; i++) {
            all.add(a.sendAsync(Cdbs.testUnitReady(), null, TaskAttribute.ORDERED, 100 + i));
        }
        for (CompletableFuture<ScsiResponse> response : all) {
            assertThat(Initiator.await(response).good()).isTrue();
        }
    }
}
