package dev.quarry.admin.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class PageTest {

    private static ApiRequest query(Map<String, List<String>> query) {
        return new ApiRequest(HttpMethod.GET, "/x", Map.of(), query, new DefaultHttpHeaders(), new byte[0]);
    }

    @Test
    void shouldPageByKeyAndStopWithoutANextCursor() {
        List<String> all = List.of("a", "b", "c", "d", "e");
        Page<String> first = Page.of(all, Function.identity(), query(Map.of("limit", List.of("2"))));
        assertThat(first.items()).containsExactly("a", "b");
        assertThat(first.next()).isEqualTo("b");
        Page<String> last = Page.of(all, Function.identity(), query(Map.of("limit", List.of("2"), "after", List.of("d"))));
        assertThat(last.items()).containsExactly("e");
        assertThat(last.next()).isNull();
        assertThat(Page.of(all, Function.identity(), query(Map.of())).items()).hasSize(5);
    }

    @Test
    void shouldRefuseLimitsOutOfRange() {
        assertThatThrownBy(() -> Page.of(List.of("a"), Function.identity(), query(Map.of("limit", List.of("0")))))
                .isInstanceOf(ApiException.class);
        assertThatThrownBy(() -> Page.of(List.of("a"), Function.identity(), query(Map.of("limit", List.of("x")))))
                .isInstanceOf(ApiException.class);
    }
}
