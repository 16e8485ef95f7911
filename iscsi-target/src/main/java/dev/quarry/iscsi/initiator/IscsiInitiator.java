package dev.quarry.iscsi.initiator;

import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoEventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A small iSCSI initiator (RFC 7143, ErrorRecoveryLevel 0) that presents LUNs of other arrays as
 * {@link RemoteLun}s, one session each, for backend disks and remote mirror legs:
 *
 * <pre>{@code
 * try (IscsiInitiator initiator = IscsiInitiator.start(InitiatorConfig.defaults("iqn.2026-11.dev.quarry:node1"))) {
 *     RemoteLun lun = initiator.open(RemoteTarget.of(new InetSocketAddress("10.0.0.7", 3260), "iqn.2001-04.com.example:disk1", 0)
 *             .withChap(ChapCredentials.of("node1", secret))).join();
 *     ...
 * }
 * }</pre>
 *
 * <p>It runs on its own event loop group (epoll when available) or on one passed in, and
 * completes callers' futures on a completion executor so that no caller code runs on an event
 * loop. Thread-safe; {@link #close()} blocks briefly.
 */
public final class IscsiInitiator implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(IscsiInitiator.class);
    private static final int COMPLETION_THREADS = 2;

    private final InitiatorConfig config;
    private final EventLoopGroup group;
    private final boolean ownsGroup;
    private final Executor completions;
    private final ExecutorService ownedCompletions;
    private final Class<? extends Channel> channelType;
    private final SecureRandom random = new SecureRandom();
    private final Set<RemoteLun> open = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean closed = new AtomicBoolean();

    private IscsiInitiator(InitiatorConfig config, EventLoopGroup group, boolean ownsGroup, Executor completions,
                           ExecutorService ownedCompletions) {
        this.config = config;
        this.group = group;
        this.ownsGroup = ownsGroup;
        this.completions = completions;
        this.ownedCompletions = ownedCompletions;
        this.channelType = group instanceof IoEventLoopGroup io && io.isIoType(EpollIoHandler.class)
                ? EpollSocketChannel.class : NioSocketChannel.class;
        LOG.info("iSCSI initiator {}: {} transport", config.initiatorName(),
                channelType == EpollSocketChannel.class ? "epoll" : "NIO");
    }

    /** An initiator with its own event loop group and completion threads, both stopped by {@link #close()}. */
    public static IscsiInitiator start(InitiatorConfig config) {
        boolean epoll = config.nativeTransport() && Epoll.isAvailable();
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(config.ioThreads(), new DefaultThreadFactory("iscsi-initiator"),
                epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
        ExecutorService completions = Executors.newFixedThreadPool(COMPLETION_THREADS, threads("iscsi-initiator-done"));
        return new IscsiInitiator(config, group, true, completions, completions);
    }

    /**
     * An initiator on a shared event loop group (an epoll or NIO {@code MultiThreadIoEventLoopGroup})
     * that completes futures on {@code completions}; {@link #close()} leaves both running.
     */
    public static IscsiInitiator start(InitiatorConfig config, EventLoopGroup group, Executor completions) {
        return new IscsiInitiator(config, Objects.requireNonNull(group, "group"), false,
                Objects.requireNonNull(completions, "completions"), null);
    }

    public InitiatorConfig config() {
        return config;
    }

    /**
     * Logs in to {@code target} and probes its LUN (identity, capacity, limits). The future
     * completes with the open LUN, or fails with a {@link LoginRefusedException} when the target
     * refuses us (wrong CHAP secret, unknown target), or with a
     * {@link dev.quarry.block.BlockIoException} (LOGICAL UNIT COMMUNICATION FAILURE) when it stays
     * unreachable for {@link InitiatorConfig#openTimeout()} or is not a usable disk.
     */
    public CompletableFuture<RemoteLun> open(RemoteTarget target) {
        if (closed.get()) {
            return CompletableFuture.failedFuture(new IllegalStateException("the initiator is closed"));
        }
        Session session = new Session(config, target, group.next(), channelType, random);
        CommandRunner runner = new CommandRunner(session);
        LunProbe probe = new LunProbe(runner, config.maxTransferBytes());
        LunWatcher watcher = new LunWatcher(probe, target, session::abort);
        runner.onCapacityChange(watcher);
        RemoteLun[] lun = new RemoteLun[1];
        lun[0] = new RemoteLun(target, session, runner, watcher, completions, () -> open.remove(lun[0]));
        CompletableFuture<RemoteLun> result = new CompletableFuture<>();
        session.start(watcher).thenCompose(ignored -> probe.run()).whenComplete((probed, failure) -> {
            if (failure != null) {
                session.close();
                deliver(() -> result.completeExceptionally(unwrap(failure)));
                return;
            }
            watcher.opened(probed);
            open.add(lun[0]);
            LOG.info("{}: opened {} ({} blocks of {} bytes, {} blocks per transfer, UNMAP {})", target.describe(),
                    probed.identity(), probed.capacity().blocks(), probed.capacity().blockSize(),
                    probed.limits().maxTransferBlocks(), probed.limits().unmapSupported() ? "on" : "off");
            deliver(() -> {
                if (!result.complete(lun[0])) {
                    lun[0].close();
                }
            });
        });
        return result;
    }

    /** Closes every open LUN, then stops the threads this initiator owns. Idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        new ArrayList<>(open).forEach(RemoteLun::close);
        if (ownsGroup) {
            group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
        }
        if (ownedCompletions != null) {
            ownedCompletions.shutdown();
            try {
                if (!ownedCompletions.awaitTermination(5, TimeUnit.SECONDS)) {
                    LOG.warn("completion threads still busy after 5 s");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void deliver(Runnable completion) {
        try {
            completions.execute(completion);
        } catch (RejectedExecutionException e) {
            completion.run();
        }
    }

    private static Throwable unwrap(Throwable failure) {
        Throwable cause = failure;
        while (cause instanceof CompletionException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }

    private static ThreadFactory threads(String name) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
