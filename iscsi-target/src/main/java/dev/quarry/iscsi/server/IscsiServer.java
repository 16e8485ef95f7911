package dev.quarry.iscsi.server;

import dev.quarry.iscsi.session.SessionKey;
import dev.quarry.iscsi.session.SessionHandle;
import dev.quarry.iscsi.session.SessionRegistry;
import dev.quarry.iscsi.session.SessionSummary;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.unix.Errors;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An iSCSI target server (RFC 7143): listens on the configured portals and serves the targets of
 * a {@link TargetRegistry}, which may change while it runs, as may its portals. Uses Netty's
 * native epoll transport when available, NIO otherwise.
 *
 * <pre>{@code
 * TargetRegistry targets = new TargetRegistry();
 * targets.put(TargetEntry.open("iqn.2026-01.dev.quarry:vol1", scsiTarget).withChap(ChapCredentials.of("host1", secret)));
 * IscsiServer server = IscsiServer.start(IscsiServerConfig.defaults(), targets);
 * ...
 * server.shutdownGracefully(Duration.ofSeconds(10)).join();
 * }</pre>
 *
 * <p>Thread-safe. {@link #start}, {@link #addPortal}, {@link #removePortal} and
 * {@link #shutdownGracefully} bind or unbind sockets and block briefly: call them from the
 * appliance's threads, never from an event loop.
 */
public final class IscsiServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(IscsiServer.class);
    private static final Duration EVENT_LOOP_SHUTDOWN = Duration.ofSeconds(2);
    /** errno EADDRINUSE on Linux, the only platform where the epoll transport runs. */
    private static final int LINUX_EADDRINUSE = 98;

    private final IscsiServerConfig config;
    private final EventLoopGroup group;
    private final ServerBootstrap bootstrap;
    private final ChannelGroup connections;
    private final SessionRegistry sessions;
    private final Map<InetSocketAddress, Channel> portals = new ConcurrentHashMap<>();
    private final AutoCloseable removalSubscription;
    private final AtomicBoolean stopping = new AtomicBoolean();
    private final CompletableFuture<Void> terminated = new CompletableFuture<>();

    private IscsiServer(IscsiServerConfig config, TargetRegistry targets) {
        this.config = config;
        boolean epoll = config.nativeTransport() && Epoll.isAvailable();
        IoHandlerFactory io = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        this.group = new MultiThreadIoEventLoopGroup(config.ioThreads(), new DefaultThreadFactory("iscsi-io"), io);
        this.connections = new DefaultChannelGroup("iscsi-connections", GlobalEventExecutor.INSTANCE);
        this.sessions = new SessionRegistry(config.maxSessions());
        PortalDirectory directory = new PortalDirectory(targets, this::boundAddresses, config.portalGroupTag());
        ServerContext context = new ServerContext(config, targets, sessions, directory, new SecureRandom());
        Class<? extends ServerChannel> channelType = epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
        this.bootstrap = new ServerBootstrap()
                .group(group)
                .channel(channelType)
                .option(ChannelOption.SO_BACKLOG, 1024)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.SO_KEEPALIVE, true)
                .childHandler(new IscsiChannelInitializer(context,
                        new ConnectionLimiter(config.maxConnectionsPerSource(), config.maxConnections()), connections));
        this.removalSubscription = targets.onRemoval(entry -> sessions.sessionsOf(entry.name())
                .forEach(session -> session.requestLogout(config.logoutGrace())));
        LOG.info("iSCSI transport: {}", epoll ? "epoll" : "NIO");
    }

    /**
     * Starts a server on every portal of {@code config}, serving {@code targets}.
     *
     * @throws IllegalStateException when a portal cannot be bound (nothing stays bound then)
     */
    public static IscsiServer start(IscsiServerConfig config, TargetRegistry targets) {
        IscsiServer server = new IscsiServer(config, targets);
        try {
            config.portals().forEach(server::addPortal);
        } catch (RuntimeException e) {
            server.shutdownGracefully(Duration.ofMillis(1)).join();
            throw e;
        }
        return server;
    }

    /**
     * Starts listening on {@code portal} as well (port 0 picks a free port).
     *
     * @return the bound address
     * @throws IllegalStateException when it cannot be bound or the server is stopping
     */
    public InetSocketAddress addPortal(InetSocketAddress portal) {
        if (stopping.get()) {
            throw new IllegalStateException("server is shutting down");
        }
        ChannelFuture binding = bootstrap.bind(portal).awaitUninterruptibly();
        if (!binding.isSuccess()) {
            throw new IllegalStateException("cannot listen on " + portal, asBindException(binding.cause(), portal));
        }
        Channel channel = binding.channel();
        InetSocketAddress bound = (InetSocketAddress) channel.localAddress();
        portals.put(bound, channel);
        LOG.info("iSCSI portal listening on {}", bound);
        return bound;
    }

    /**
     * The epoll transport reports a taken address as a native error, NIO as a
     * {@link BindException}: callers (the CLI's exit codes) see the latter either way.
     */
    private static Throwable asBindException(Throwable failure, InetSocketAddress portal) {
        if (failure instanceof Errors.NativeIoException nativeFailure && nativeFailure.expectedErr() == -LINUX_EADDRINUSE) {
            BindException bind = new BindException("address " + portal + " already in use");
            bind.initCause(failure);
            return bind;
        }
        return failure;
    }

    /** Stops listening on {@code bound} (an address from {@link #boundAddresses()}); sessions stay. */
    public boolean removePortal(InetSocketAddress bound) {
        Channel channel = portals.remove(bound);
        if (channel == null) {
            return false;
        }
        channel.close().awaitUninterruptibly();
        LOG.info("iSCSI portal on {} closed", bound);
        return true;
    }

    /** The addresses the server listens on, with the ports actually bound. */
    public List<InetSocketAddress> boundAddresses() {
        return List.copyOf(portals.keySet());
    }

    /** The bound port of the first configured portal. */
    public int port() {
        return portals.keySet().stream().findFirst().map(InetSocketAddress::getPort)
                .orElseThrow(() -> new IllegalStateException("no portal bound"));
    }

    /** Live sessions. */
    public int sessionCount() {
        return sessions.size();
    }

    /** Who holds the live sessions: initiator name, ISID and target name (empty for Discovery); a copy. */
    public List<SessionKey> sessionKeys() {
        return sessions.keys();
    }

    /** The live sessions, by TSIH. */
    public List<SessionSummary> sessions() {
        return sessions.summaries();
    }

    /**
     * Asks the initiator of session {@code tsih} to log out (AsyncEvent 1) and drops its
     * connection after the configured logout grace if it does not.
     *
     * @return false when no such session lives
     */
    public boolean requestLogout(int tsih) {
        Optional<SessionHandle> session = sessions.find(tsih);
        session.ifPresent(handle -> handle.requestLogout(config.logoutGrace()));
        return session.isPresent();
    }

    /** Open connections, logged in or not. */
    public int connectionCount() {
        return connections.size();
    }

    /**
     * Stops accepting connections, asks every logged-in initiator to log out within {@code grace}
     * (AsyncEvent 1), closes connections still logging in, then closes whatever remains after
     * {@code grace} and stops the event loops. Bounded: completes within {@code grace} plus a few
     * seconds. Idempotent.
     */
    public CompletableFuture<Void> shutdownGracefully(Duration grace) {
        if (!stopping.compareAndSet(false, true)) {
            return terminated;
        }
        closeQuietly(removalSubscription);
        new ArrayList<>(portals.keySet()).forEach(this::removePortal);
        connections.forEach(channel -> channel.pipeline().fireUserEventTriggered(new ShutdownEvent(grace)));
        CompletableFuture<Void> allClosed = new CompletableFuture<>();
        connections.newCloseFuture().addListener(future -> allClosed.complete(null));
        allClosed.completeOnTimeout(null, grace.toMillis(), TimeUnit.MILLISECONDS).thenRunAsync(() -> {
            connections.close().awaitUninterruptibly(EVENT_LOOP_SHUTDOWN.toMillis());
            group.shutdownGracefully(0, EVENT_LOOP_SHUTDOWN.toMillis(), TimeUnit.MILLISECONDS)
                    .awaitUninterruptibly(2 * EVENT_LOOP_SHUTDOWN.toMillis());
            terminated.complete(null);
        });
        return terminated;
    }

    /** A graceful shutdown with the configured logout grace, waited for. */
    @Override
    public void close() {
        shutdownGracefully(config.logoutGrace()).join();
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception e) {
            LOG.warn("closing {} failed", closeable, e);
        }
    }
}
