package dev.quarry.volume.pool;

import java.util.regex.Pattern;

/**
 * The rule for pool and volume names: 1 to 64 characters, letters, digits, '.', '_' and '-',
 * starting with a letter or digit (so names are safe in URLs, CLIs and IQN suffixes).
 *
 * <p>Stateless and thread-safe.
 */
public final class Names {

    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    private Names() {
    }

    /** Returns {@code name} or throws {@link IllegalArgumentException}. */
    public static String check(String name) {
        if (name == null || !VALID.matcher(name).matches()) {
            throw new IllegalArgumentException("invalid name '" + name + "': use 1-64 of [A-Za-z0-9._-], not starting with . _ -");
        }
        return name;
    }
}
