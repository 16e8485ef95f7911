package dev.quarry.admin.http;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.function.Function;

/**
 * One page of a list, keyset-paginated: {@code next} is the cursor to pass as {@code after} for
 * the following page, absent on the last one. Keyset rather than offset pagination, so that a
 * page stays correct while items are created or deleted between requests.
 *
 * <p>Immutable and thread-safe.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Page<T>(List<T> items, String next) {

    static final String LIMIT = "limit";
    static final String AFTER = "after";
    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 1000;

    public Page {
        items = List.copyOf(items);
    }

    /**
     * The page {@code request} asks for ({@code limit}, {@code after}) of {@code all}, which must be
     * sorted by {@code key} ascending.
     *
     * @throws ApiException 400 when {@code limit} is not a number in 1..1000
     */
    public static <T> Page<T> of(List<T> all, Function<T, String> key, ApiRequest request) {
        int limit = limit(request.queryParam(LIMIT, String.valueOf(DEFAULT_LIMIT)));
        String after = request.queryParam(AFTER, null);
        List<T> rest = after == null ? all : all.stream().filter(item -> key.apply(item).compareTo(after) > 0).toList();
        if (rest.size() <= limit) {
            return new Page<>(rest, null);
        }
        List<T> page = rest.subList(0, limit);
        return new Page<>(page, key.apply(page.get(limit - 1)));
    }

    private static int limit(String text) {
        try {
            int limit = Integer.parseInt(text);
            if (limit >= 1 && limit <= MAX_LIMIT) {
                return limit;
            }
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("limit must be a number from 1 to " + MAX_LIMIT + ": " + text);
        }
        throw ApiException.badRequest("limit must be a number from 1 to " + MAX_LIMIT + ": " + text);
    }
}
