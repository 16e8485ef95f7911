package dev.quarry.admin.http;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.timeout.IdleStateHandler;
import java.net.InetSocketAddress;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The admin HTTP listener: Netty's HTTP codec, bodies aggregated up to {@link #MAX_BODY_BYTES},
 * and route handlers on a bounded worker pool (a full pool answers 503 rather than queueing
 * without limit).
 *
 * <p>Thread-safe; {@link #close()} is idempotent.
 */
public final class HttpApiServer implements AutoCloseable {

    /** Larger bodies are refused with 413: the API takes small JSON documents only. */
    public static final int MAX_BODY_BYTES = 1 << 20;
    private static final int IDLE_SECONDS = 120;

    private final EventLoopGroup group;
    private final ThreadPoolExecutor workers;
    private final Channel channel;
    private final boolean tls;

    private HttpApiServer(EventLoopGroup group, ThreadPoolExecutor workers, Channel channel, boolean tls) {
        this.tls = tls;
        this.group = group;
        this.workers = workers;
        this.channel = channel;
    }

    /**
     * How the listener is secured: bearer tokens (or {@link TokenAuthenticator#DISABLED}) and TLS
     * (null for plain HTTP).
     */
    public record Security(TokenAuthenticator auth, SslContext tls) {

        /** No tokens, no TLS: tests and the loopback demo only. */
        public static final Security NONE = new Security(TokenAuthenticator.DISABLED, null);

        public Security {
            java.util.Objects.requireNonNull(auth, "auth");
        }
    }

    /** Binds {@code host:port} (port 0 picks a free one) and serves {@code router} without tokens or TLS. Blocks until bound. */
    public static HttpApiServer start(String host, int port, Router router) throws InterruptedException {
        return start(host, port, router, Security.NONE);
    }

    /** Binds {@code host:port} and serves {@code router} with {@code security}. Blocks until bound. */
    public static HttpApiServer start(String host, int port, Router router, Security security) throws InterruptedException {
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        AtomicInteger threads = new AtomicInteger();
        ThreadPoolExecutor workers = new ThreadPoolExecutor(2, 8, 60, TimeUnit.SECONDS, new ArrayBlockingQueue<>(256), r -> {
            Thread t = new Thread(r, "admin-api-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        try {
            Channel channel = new ServerBootstrap()
                    .group(group)
                    .channel(NioServerSocketChannel.class)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            if (security.tls() != null) {
                                ch.pipeline().addLast(security.tls().newHandler(ch.alloc()));
                            }
                            ch.pipeline()
                                    .addLast(new IdleStateHandler(0, 0, IDLE_SECONDS))
                                    .addLast(new HttpServerCodec())
                                    .addLast(new ProblemAggregator(MAX_BODY_BYTES))
                                    .addLast(new HttpApiHandler(router, workers, security.auth()));
                        }
                    })
                    .bind(host, port).sync().channel();
            return new HttpApiServer(group, workers, channel, security.tls() != null);
        } catch (InterruptedException | RuntimeException e) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            workers.shutdownNow();
            throw e;
        }
    }

    /** Whether the listener speaks TLS. */
    public boolean tls() {
        return tls;
    }

    /** The bound port (useful when started on port 0). */
    public int port() {
        return ((InetSocketAddress) channel.localAddress()).getPort();
    }

    @Override
    public void close() {
        channel.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
        workers.shutdown();
    }
}
