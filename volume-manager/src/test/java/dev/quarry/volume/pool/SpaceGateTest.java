package dev.quarry.volume.pool;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quarry.block.BlockIoException;
import dev.quarry.block.SenseCode;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class SpaceGateTest {

    private static final long LONG = TimeUnit.SECONDS.toNanos(30);

    private final AtomicLong enqueued = new AtomicLong(10);
    private final SpaceGate gate = new SpaceGate("p", enqueued::get);

    private static SenseCode sense(CompletableFuture<Void> waiter) {
        try {
            waiter.orTimeout(5, TimeUnit.SECONDS).join();
            return null;
        } catch (CompletionException e) {
            return ((BlockIoException) e.getCause()).sense();
        }
    }

    @Test
    void shouldDecideAWaiterOnlyAtTheEndOfAPassThatStartedAfterIt() {
        gate.passStarting(10);
        CompletableFuture<Void> waiter = gate.await(4096, Pool.Purpose.HOST, LONG);
        gate.passEnded(true, (bytes, purpose) -> true);
        assertThat(waiter).isNotDone();
        gate.passStarting(10);
        gate.passEnded(true, (bytes, purpose) -> true);
        assertThat(sense(waiter)).isEqualTo(SenseCode.SPACE_ALLOCATION_FAILED);
        assertThat(gate.waiting()).isZero();
    }

    @Test
    void shouldLetAWaiterRetryWhileThePassIsNotConclusive() {
        CompletableFuture<Void> behindReaper = gate.await(4096, Pool.Purpose.HOST, LONG);
        gate.passStarting(10);
        gate.passEnded(false, (bytes, purpose) -> true);
        assertThat(sense(behindReaper)).as("the reaper had not caught up: retry").isNull();
        enqueued.set(20);
        CompletableFuture<Void> behindCommits = gate.await(4096, Pool.Purpose.HOST, LONG);
        gate.passStarting(19);
        gate.passEnded(true, (bytes, purpose) -> true);
        assertThat(sense(behindCommits)).as("an UNMAP submitted before the write was not committed yet: retry").isNull();
        CompletableFuture<Void> fits = gate.await(4096, Pool.Purpose.REPLACE, LONG);
        gate.passStarting(20);
        gate.passEnded(true, (bytes, purpose) -> purpose == Pool.Purpose.HOST);
        assertThat(sense(fits)).isNull();
    }

    @Test
    void shouldWakeEveryWaiterWhenASegmentIsFreed() {
        CompletableFuture<Void> a = gate.await(4096, Pool.Purpose.HOST, LONG);
        CompletableFuture<Void> b = gate.await(8192, Pool.Purpose.REPLACE, LONG);
        assertThat(gate.waiting()).isEqualTo(2);
        gate.wakeAll();
        assertThat(sense(a)).isNull();
        assertThat(sense(b)).isNull();
        assertThat(gate.waiting()).isZero();
    }

    @Test
    void shouldFailAWaiterThatGetsNoAnswerByItsDeadlineWithARetryableSense() {
        CompletableFuture<Void> waiter = gate.await(4096, Pool.Purpose.HOST, TimeUnit.MILLISECONDS.toNanos(50));
        assertThat(sense(waiter)).isEqualTo(SpaceGate.RECLAIMING);
        assertThat(SpaceGate.RECLAIMING.toString()).isEqualTo("2/04/07");
    }
}
