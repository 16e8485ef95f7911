package dev.quarry.iscsi.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;

class SessionRegistryTest {

    record Handle(String name) implements SessionHandle {
        @Override
        public CompletionStage<Void> terminate() {
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public void requestLogout(Duration grace) {
        }

        @Override
        public String initiatorAddress() {
            return "127.0.0.2:40000";
        }

        @Override
        public String portalAddress() {
            return "127.0.0.1:3260";
        }
    }

    private static final SessionKey KEY = new SessionKey("iqn.2000-01.a:b", 0x400001370000L, "iqn.2026-01.t:1");

    @Test
    void shouldAssignDistinctNonZeroTsihs() {
        SessionRegistry registry = new SessionRegistry(100);
        Set<Integer> tsihs = new HashSet<>();
        for (int i = 0; i < 100; i++) {
            tsihs.add(registry.register(new SessionKey("iqn.2000-01.a:b", i, "t"), new Handle("t")).orElseThrow().tsih());
        }
        assertThat(tsihs).hasSize(100).doesNotContain(0);
        assertThat(registry.register(new SessionKey("iqn.2000-01.a:b", 1000, "t"), new Handle("t"))).isEmpty();
    }

    @Test
    void shouldReturnTheSessionAReinstatementReplaces() {
        SessionRegistry registry = new SessionRegistry(10);
        Handle old = new Handle(KEY.targetName());
        int oldTsih = registry.register(KEY, old).orElseThrow().tsih();
        SessionRegistry.Registration second = registry.register(KEY, new Handle(KEY.targetName())).orElseThrow();
        assertThat(second.replaced()).containsSame(old);
        assertThat(second.tsih()).isNotEqualTo(oldTsih);
        assertThat(registry.exists(oldTsih, KEY.initiatorName(), KEY.isid())).isFalse();
        assertThat(registry.exists(second.tsih(), KEY.initiatorName(), KEY.isid())).isTrue();
        registry.unregister(oldTsih, old);
        assertThat(registry.size()).as("the old session's late unregister leaves the new one").isEqualTo(1);
    }

    @Test
    void shouldTellTsihOfAnotherInitiatorPortFromOwn() {
        SessionRegistry registry = new SessionRegistry(10);
        int tsih = registry.register(KEY, new Handle("t")).orElseThrow().tsih();
        assertThat(registry.exists(tsih, KEY.initiatorName(), KEY.isid())).isTrue();
        assertThat(registry.exists(tsih, "iqn.2000-01.other:x", KEY.isid())).isFalse();
        assertThat(registry.exists(tsih + 1, KEY.initiatorName(), KEY.isid())).isFalse();
        assertThat(registry.sessionsOf(KEY.targetName())).hasSize(1);
    }
}
