package dev.quarry.iscsi.codec;

import io.netty.channel.CombinedChannelDuplexHandler;

/**
 * The target side's PDU codec under one pipeline name: {@link PduDecoder} for initiator PDUs and
 * {@link PduEncoder} for target PDUs, sharing one connection's {@link DigestSettings}. Sits after
 * {@link IscsiFrameDecoder}.
 *
 * <p>Not thread-safe; confined to the channel event loop. One instance per connection.
 */
public final class IscsiServerCodec extends CombinedChannelDuplexHandler<PduDecoder, PduEncoder> {

    public IscsiServerCodec(DigestSettings digests) {
        super(new PduDecoder(digests), new PduEncoder(digests));
    }
}
