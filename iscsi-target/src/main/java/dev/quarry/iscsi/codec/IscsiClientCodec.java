package dev.quarry.iscsi.codec;

import io.netty.channel.CombinedChannelDuplexHandler;

/**
 * The initiator side's PDU codec under one pipeline name: {@link TargetPduDecoder} for target
 * PDUs and {@link InitiatorPduEncoder} for initiator PDUs, sharing one connection's
 * {@link DigestSettings}. Sits after {@link IscsiFrameDecoder}, as {@link IscsiServerCodec} does
 * on the target side.
 *
 * <p>Not thread-safe; confined to the channel event loop. One instance per connection.
 */
public final class IscsiClientCodec extends CombinedChannelDuplexHandler<TargetPduDecoder, InitiatorPduEncoder> {

    public IscsiClientCodec(DigestSettings digests) {
        super(new TargetPduDecoder(digests), new InitiatorPduEncoder(digests));
    }
}
