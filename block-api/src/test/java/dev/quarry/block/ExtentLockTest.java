package dev.quarry.block;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class ExtentLockTest {

    private final ExtentLock lock = new ExtentLock();

    @Test
    void shouldGrantDisjointRangesAtOnce() {
        CompletableFuture<ExtentLock.Lease> a = lock.acquire(0, 8);
        CompletableFuture<ExtentLock.Lease> b = lock.acquire(8, 8);
        assertThat(a).isCompleted();
        assertThat(b).isCompleted();
    }

    @Test
    void shouldMakeOverlappingRequestWaitUntilReleased() {
        CompletableFuture<ExtentLock.Lease> a = lock.acquire(0, 8);
        CompletableFuture<ExtentLock.Lease> b = lock.acquire(7, 2);
        assertThat(b).isNotDone();
        a.join().close();
        assertThat(b).isCompleted();
        b.join().close();
        assertThat(lock.pending()).isZero();
    }

    @Test
    void shouldKeepRequestOrderAmongOverlappingWaiters() {
        CompletableFuture<ExtentLock.Lease> first = lock.acquire(0, 4);
        CompletableFuture<ExtentLock.Lease> second = lock.acquire(0, 8);
        CompletableFuture<ExtentLock.Lease> third = lock.acquire(4, 4);
        assertThat(third).as("third overlaps the earlier, waiting second request").isNotDone();
        first.join().close();
        assertThat(second).isCompleted();
        assertThat(third).isNotDone();
        second.join().close();
        assertThat(third).isCompleted();
    }

    @Test
    void shouldIgnoreSecondCloseOfLease() {
        ExtentLock.Lease lease = lock.acquire(0, 1).join();
        lease.close();
        lease.close();
        assertThat(lock.pending()).isZero();
    }

    @Test
    void shouldRejectRangesBeyondCapacityWithoutOverflow() {
        assertThat(BlockRange.fits(0, 10, 10)).isTrue();
        assertThat(BlockRange.fits(1, 10, 10)).isFalse();
        assertThat(BlockRange.fits(Long.MAX_VALUE, 2, 10)).isFalse();
        assertThat(BlockRange.fits(-1, 1, 10)).isFalse();
        assertThat(BlockRange.fits(10, 0, 10)).isTrue();
    }
}
