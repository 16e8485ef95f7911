package dev.quarry.iscsi.session;

/**
 * A request that takes its turn in CmdSN order: {@link #process()} runs when its CmdSN is next
 * (already consumed), {@link #discard()} when it will never run (dropped or session closing).
 *
 * <p>Not thread-safe; confined to the channel event loop.
 */
interface OrderedRequest {

    void process();

    void discard();

    /** A request whose turn only consumes its CmdSN (an already discarded PDU). */
    OrderedRequest NOTHING = new OrderedRequest() {
        @Override
        public void process() {
        }

        @Override
        public void discard() {
        }
    };
}
