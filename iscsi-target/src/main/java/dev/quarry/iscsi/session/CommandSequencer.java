package dev.quarry.iscsi.session;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Hands non-immediate requests to the session strictly in CmdSN order (RFC 7143 §3.2.2.1): the
 * next one at once, later ones inside the window held until the gap fills, anything outside the
 * window dropped silently (RFC 7143 §4.2.2.1).
 *
 * <p>Not thread-safe; confined to the channel event loop.
 *
 * @param <T> the held request type
 */
public final class CommandSequencer<T> {

    /** What became of an offered request. */
    public enum Outcome { PROCESSED, HELD, IGNORED }

    private final CommandWindow window;
    private final Map<Integer, T> held = new HashMap<>();

    public CommandSequencer(CommandWindow window) {
        this.window = window;
    }

    /**
     * Offers {@code request} numbered {@code cmdSn}. When it is next, consumes its CmdSN and passes
     * it to {@code process}, then every held request that became next. Ownership of an
     * {@link Outcome#IGNORED} request stays with the caller.
     */
    public Outcome offer(int cmdSn, T request, Consumer<T> process) {
        switch (window.position(cmdSn)) {
            case NEXT -> {
                window.consume();
                process.accept(request);
                for (T next = held.remove(window.expCmdSn()); next != null; next = held.remove(window.expCmdSn())) {
                    window.consume();
                    process.accept(next);
                }
                return Outcome.PROCESSED;
            }
            case AHEAD -> {
                return held.putIfAbsent(cmdSn, request) == null ? Outcome.HELD : Outcome.IGNORED;
            }
            default -> {
                return Outcome.IGNORED;
            }
        }
    }

    /** Whether a request numbered {@code cmdSn} waits for a gap to fill. */
    public boolean holds(int cmdSn) {
        return held.containsKey(cmdSn);
    }

    /** Number of requests held. */
    public int heldCount() {
        return held.size();
    }

    /** Removes every held request and hands it to {@code release}. */
    public void clear(Consumer<T> release) {
        held.values().forEach(release);
        held.clear();
    }
}
