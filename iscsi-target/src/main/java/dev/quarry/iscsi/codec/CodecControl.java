package dev.quarry.iscsi.codec;

/**
 * The one place where a connection's codec changes: at the login to full feature transition it
 * switches digests on and raises the receive limit from 8192 to our declared
 * MaxRecvDataSegmentLength (RFC 7143 §13.1, §13.12).
 *
 * <p>Not thread-safe; confined to the channel event loop.
 */
public final class CodecControl {

    private final DigestSettings digests;
    private final IscsiFrameDecoder frames;

    public CodecControl(DigestSettings digests, IscsiFrameDecoder frames) {
        this.digests = digests;
        this.frames = frames;
    }

    /**
     * Applies the negotiated digests and receive limit. Call on the event loop right after the
     * final Login Response was written, so that it goes out without digests.
     */
    public void enterFullFeaturePhase(boolean headerDigest, boolean dataDigest, int maxRecvDataSegmentLength) {
        digests.enable(headerDigest, dataDigest);
        frames.maxDataSegmentLength(maxRecvDataSegmentLength);
    }
}
