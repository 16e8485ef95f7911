package dev.quarry.block;

/**
 * One extent of a GET LBA STATUS answer (SBC-3 §5.6): {@code blocks} blocks from {@code lba}, all
 * in the same provisioning state.
 *
 * <p>Immutable and thread-safe.
 */
public record LbaStatus(long lba, long blocks, State state) {

    /** The provisioning state of an extent, with its SBC-3 code. */
    public enum State {
        /** Backed by storage. */
        MAPPED(0),
        /** Not backed by storage; reads return zeroes when the volume says so. */
        DEALLOCATED(1),
        /** Not backed, but storage is reserved for it. */
        ANCHORED(2);

        private final int code;

        State(int code) {
            this.code = code;
        }

        /** The PROVISIONING STATUS field value. */
        public int code() {
            return code;
        }
    }

    public LbaStatus {
        if (lba < 0 || blocks < 1) {
            throw new IllegalArgumentException("bad extent " + lba + "+" + blocks);
        }
        java.util.Objects.requireNonNull(state, "state");
    }
}
