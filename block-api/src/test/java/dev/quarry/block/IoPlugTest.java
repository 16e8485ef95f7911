package dev.quarry.block;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class IoPlugTest {

    @Test
    void shouldRunHandOffsAtOnceWithoutAPlug() {
        List<String> log = new ArrayList<>();
        IoPlug.submit(() -> log.add("hand-off"));
        assertThat(log).containsExactly("hand-off");
    }

    @Test
    void shouldHoldHandOffsUntilTheOutermostPlugClosesInOrder() {
        List<String> log = new ArrayList<>();
        try (IoPlug outer = IoPlug.open()) {
            IoPlug.submit(() -> log.add("first"));
            try (IoPlug inner = IoPlug.open()) {
                IoPlug.submit(() -> log.add("second"));
            }
            log.add("reply");
        }
        assertThat(log).containsExactly("reply", "first", "second");
        IoPlug.submit(() -> log.add("after"));
        assertThat(log).endsWith("after");
    }

    @Test
    void shouldReleaseEveryHandOffWhenOneThrows() {
        List<String> log = new ArrayList<>();
        IoPlug plug = IoPlug.open();
        IoPlug.submit(() -> {
            throw new IllegalStateException("refused");
        });
        IoPlug.submit(() -> log.add("still run"));
        assertThatThrownBy(plug::close).isInstanceOf(IllegalStateException.class).hasMessage("refused");
        assertThat(log).containsExactly("still run");
        assertThatThrownBy(plug::close).as("closed more often than opened").isInstanceOf(IllegalStateException.class);
    }

    @Test
    void shouldKeepPlugsApartPerThread() throws Exception {
        List<String> log = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (IoPlug plug = IoPlug.open()) {
            CompletableFuture.runAsync(() -> IoPlug.submit(() -> log.add("other thread"))).get(5, TimeUnit.SECONDS);
            assertThat(log).as("another thread's hand-off is not held by this thread's plug").containsExactly("other thread");
        }
    }
}
