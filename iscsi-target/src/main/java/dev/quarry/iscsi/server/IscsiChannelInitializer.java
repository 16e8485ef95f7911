package dev.quarry.iscsi.server;

import dev.quarry.iscsi.codec.CodecControl;
import dev.quarry.iscsi.codec.DigestSettings;
import dev.quarry.iscsi.codec.IscsiFrameDecoder;
import dev.quarry.iscsi.codec.IscsiServerCodec;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.timeout.IdleStateHandler;
import java.net.InetAddress;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds each accepted connection's pipeline (STYLE B3):
 * {@code IdleStateHandler} (NOP pings) → {@link IscsiFrameDecoder} → {@link IscsiServerCodec} →
 * {@link IscsiConnectionHandler}, after checking the per-source and total connection caps.
 *
 * <p>Sharable and thread-safe: one instance serves every event loop.
 */
@ChannelHandler.Sharable
final class IscsiChannelInitializer extends ChannelInitializer<SocketChannel> {

    private static final Logger LOG = LoggerFactory.getLogger(IscsiChannelInitializer.class);

    private final ServerContext server;
    private final ConnectionLimiter limiter;
    private final ChannelGroup channels;

    IscsiChannelInitializer(ServerContext server, ConnectionLimiter limiter, ChannelGroup channels) {
        this.server = server;
        this.limiter = limiter;
        this.channels = channels;
    }

    @Override
    protected void initChannel(SocketChannel channel) {
        IscsiServerConfig config = server.config();
        InetAddress source = channel.remoteAddress().getAddress();
        if (!limiter.tryAcquire(source)) {
            LOG.debug("refusing a connection from {}: connection limit reached", source);
            config.metrics().connectionRefused();
            channel.close();
            return;
        }
        config.metrics().connectionOpened();
        channel.closeFuture().addListener(future -> {
            limiter.release(source);
            config.metrics().connectionClosed();
        });
        channels.add(channel);
        DigestSettings digests = DigestSettings.none();
        IscsiFrameDecoder frames = new IscsiFrameDecoder(digests, IscsiFrameDecoder.LOGIN_MAX_DATA_SEGMENT_LENGTH);
        channel.pipeline()
                .addLast("idle", new IdleStateHandler(config.nopInterval().toNanos(), 0, 0, TimeUnit.NANOSECONDS))
                .addLast("frames", frames)
                .addLast("codec", new IscsiServerCodec(digests))
                .addLast("connection", new IscsiConnectionHandler(server, new CodecControl(digests, frames)));
    }
}
