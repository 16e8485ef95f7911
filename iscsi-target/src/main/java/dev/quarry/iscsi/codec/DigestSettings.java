package dev.quarry.iscsi.codec;

/**
 * Whether header and data digests are in force on one connection. Both halves of the codec read
 * it; it changes only at the login to full feature phase transition (RFC 7143 §13.1), on the
 * channel's event loop, so that the final Login Response goes out without digests and the next PDU
 * in either direction carries them.
 *
 * <p>Not thread-safe; confined to the channel event loop.
 */
public final class DigestSettings {

    private boolean headerDigest;
    private boolean dataDigest;

    /** Settings with no digests, as during login. */
    public static DigestSettings none() {
        return new DigestSettings();
    }

    public boolean headerDigest() {
        return headerDigest;
    }

    public boolean dataDigest() {
        return dataDigest;
    }

    /** Switches digests on or off; call only on the event loop at the full feature transition. */
    public void enable(boolean header, boolean data) {
        this.headerDigest = header;
        this.dataDigest = data;
    }

    /** Bytes a header digest adds after the BHS and AHS. */
    int headerDigestLength() {
        return headerDigest ? 4 : 0;
    }

    /** Bytes a data digest adds after a data segment of {@code dataSegmentLength} bytes. */
    int dataDigestLength(int dataSegmentLength) {
        return dataDigest && dataSegmentLength > 0 ? 4 : 0;
    }
}
