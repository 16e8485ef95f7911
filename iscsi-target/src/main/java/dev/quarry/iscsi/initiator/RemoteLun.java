package dev.quarry.iscsi.initiator;

import dev.quarry.block.BlockDevice;
import dev.quarry.block.BlockIoException;
import dev.quarry.block.BlockRange;
import dev.quarry.block.SenseCode;
import dev.quarry.block.WriteOptions;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A LUN of another array as a {@link BlockDevice}, over one iSCSI session: READ(16) and WRITE(16)
 * (with FUA) split at the remote's maximum transfer length, SYNCHRONIZE CACHE(16) (or (10)), UNMAP
 * when the LUN advertises it and a no-op otherwise (UNMAP is advisory), its identity from VPD 80h
 * and 83h, and its capacity kept current. Overlapping operations reach the target in call order.
 * Failures arrive as {@link BlockIoException}: the remote's own sense unchanged (a MEDIUM ERROR
 * with its LBA), or LOGICAL UNIT COMMUNICATION FAILURE when the target stays unreachable.
 *
 * <p>Buffers follow block-api's ownership rules: {@link #write} takes its buffer, {@link #read}
 * hands a pooled direct buffer to the caller. Thread-safe; no method blocks except
 * {@link #close()} (for at most the logout timeout). Futures complete on the initiator's
 * completion executor, never on its event loop.
 */
public final class RemoteLun implements BlockDevice {

    private static final Logger LOG = LoggerFactory.getLogger(RemoteLun.class);

    private final RemoteTarget target;
    private final Session session;
    private final CommandRunner runner;
    private final LunWatcher watcher;
    private final Executor completions;
    private final Runnable onClose;
    private final OverlapGate gate = new OverlapGate();
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile boolean synchronizeCache10;
    private volatile boolean unmapRefused;

    RemoteLun(RemoteTarget target, Session session, CommandRunner runner, LunWatcher watcher, Executor completions,
              Runnable onClose) {
        this.target = target;
        this.session = session;
        this.runner = runner;
        this.watcher = watcher;
        this.completions = completions;
        this.onClose = onClose;
    }

    /** Where this LUN lives (no secret in its {@code toString}). */
    public RemoteTarget target() {
        return target;
    }

    /** The identity the LUN reported when it was opened; checked again after every reconnect. */
    public RemoteLunIdentity identity() {
        return watcher.identity();
    }

    /** Transfer and UNMAP limits. */
    public RemoteLunLimits limits() {
        return watcher.limits();
    }

    /** Counters of the session (logins, losses, reissued commands). */
    public SessionStatistics statistics() {
        return session.statistics();
    }

    /** Whether UNMAP reaches the remote (advertised and not refused); otherwise {@link #unmap} does nothing. */
    public boolean unmapSupported() {
        return watcher.limits().unmapSupported() && !unmapRefused;
    }

    @Override
    public int blockSize() {
        return watcher.capacity().blockSize();
    }

    @Override
    public long blockCount() {
        return watcher.capacity().blocks();
    }

    @Override
    public CompletableFuture<ByteBuf> read(long lba, int blocks) {
        if (blocks < 0 || !BlockRange.fits(lba, blocks, blockCount())) {
            return BlockRange.outOfRange(lba, blocks, blockCount());
        }
        if ((long) blocks * blockSize() > Integer.MAX_VALUE) {
            return CompletableFuture.failedFuture(new BlockIoException(SenseCode.INVALID_FIELD_IN_CDB,
                    "a read of " + blocks + " blocks does not fit one buffer"));
        }
        CompletableFuture<ByteBuf> result = new CompletableFuture<>();
        onLoop(result, null, () -> {
            gate.acquire(lba, blocks, false, entry -> readPieces(lba, blocks).whenComplete((data, failure) -> {
                entry.release();
                deliver(result, data, failure, ByteBuf::release);
            }));
        });
        return result;
    }

    @Override
    public CompletableFuture<Void> write(long lba, ByteBuf data, WriteOptions options) {
        int bytes = data.readableBytes();
        int blockSize = blockSize();
        if (bytes % blockSize != 0) {
            data.release();
            return CompletableFuture.failedFuture(new BlockIoException(SenseCode.INVALID_FIELD_IN_CDB,
                    bytes + " bytes are not a whole number of " + blockSize + "-byte blocks"));
        }
        long blocks = bytes / blockSize;
        if (!BlockRange.fits(lba, blocks, blockCount())) {
            data.release();
            return BlockRange.outOfRange(lba, blocks, blockCount());
        }
        CompletableFuture<Void> result = new CompletableFuture<>();
        onLoop(result, data::release, () -> {
            gate.acquire(lba, blocks, true, entry -> writePieces(lba, data, options.forceUnitAccess())
                    .whenComplete((ok, failure) -> {
                        data.release();
                        entry.release();
                        deliver(result, null, failure, null);
                    }));
        });
        return result;
    }

    @Override
    public CompletableFuture<Void> flush() {
        CompletableFuture<Void> result = new CompletableFuture<>();
        onLoop(result, null, () -> synchronizeCache().whenComplete((ok, failure) -> deliver(result, null, failure, null)));
        return result;
    }

    @Override
    public CompletableFuture<Void> unmap(long lba, long blocks) {
        if (!BlockRange.fits(lba, blocks, blockCount())) {
            return BlockRange.outOfRange(lba, blocks, blockCount());
        }
        if (blocks == 0 || !unmapSupported()) {
            return CompletableFuture.completedFuture(null);
        }
        CompletableFuture<Void> result = new CompletableFuture<>();
        onLoop(result, null, () -> {
            gate.acquire(lba, blocks, true, entry -> unmapPieces(lba, blocks).whenComplete((ok, failure) -> {
                entry.release();
                deliver(result, null, failure, null);
            }));
        });
        return result;
    }

    /**
     * Logs out and closes the session; commands still queued or in flight fail. Waits for the
     * logout at most the configured logout timeout (not at all on the event loop). Idempotent.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        onClose.run();
        CompletableFuture<Void> done = session.close();
        if (session.loop().inEventLoop()) {
            return;
        }
        long wait = session.config().logoutTimeout().toMillis() + 1000;
        try {
            done.get(wait, TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            LOG.warn("{}: the session did not close within {} ms", target.describe(), wait, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        RemoteLunIdentity identity = watcher.identity();
        return "RemoteLun[" + target.describe() + (identity == null ? "" : ", " + identity.deviceId()) + "]";
    }

    private CompletableFuture<ByteBuf> readPieces(long lba, int blocks) {
        int blockSize = blockSize();
        int max = limits().maxTransferBlocks();
        List<CompletableFuture<ScsiOutcome>> pieces = new ArrayList<>();
        List<Integer> lengths = new ArrayList<>();
        for (long at = lba, end = lba + blocks; at < end; ) {
            int count = (int) Math.min(max, end - at);
            pieces.add(runner.run(ScsiRequest.read(Cdbs.read16(at, count), count * blockSize,
                    "READ(16) lba=" + at + " blocks=" + count), at));
            lengths.add(count * blockSize);
            at += count;
        }
        return CompletableFuture.allOf(pieces.toArray(CompletableFuture[]::new))
                .handle((ignored, failure) -> assemble(pieces, lengths));
    }

    /** The pieces of a read as one buffer, or the first failure (every buffer released then). */
    private ByteBuf assemble(List<CompletableFuture<ScsiOutcome>> pieces, List<Integer> lengths) {
        List<ByteBuf> buffers = new ArrayList<>(pieces.size());
        RuntimeException failure = null;
        for (int i = 0; i < pieces.size(); i++) {
            CompletableFuture<ScsiOutcome> piece = pieces.get(i);
            if (piece.isCompletedExceptionally()) {
                failure = failure != null ? failure : unwrap(piece.exceptionNow());
                continue;
            }
            ByteBuf data = piece.resultNow().data();
            if (data.readableBytes() != lengths.get(i) && failure == null) {
                failure = Session.failure(target.describe() + " returned " + data.readableBytes() + " of "
                        + lengths.get(i) + " bytes", null);
            }
            buffers.add(data);
        }
        if (failure != null) {
            buffers.forEach(ByteBuf::release);
            throw failure;
        }
        if (buffers.size() == 1) {
            return buffers.get(0);
        }
        CompositeByteBuf whole = ByteBufAllocator.DEFAULT.compositeDirectBuffer(buffers.size());
        whole.addComponents(true, buffers);
        return whole;
    }

    private CompletableFuture<Void> writePieces(long lba, ByteBuf data, boolean forceUnitAccess) {
        int blockSize = blockSize();
        int max = limits().maxTransferBlocks();
        int blocks = data.readableBytes() / blockSize;
        List<CompletableFuture<ScsiOutcome>> pieces = new ArrayList<>();
        for (int done = 0; done < blocks; ) {
            int count = Math.min(max, blocks - done);
            long at = lba + done;
            ByteBuf slice = data.slice(data.readerIndex() + done * blockSize, count * blockSize);
            pieces.add(runner.run(ScsiRequest.write(Cdbs.write16(at, count, forceUnitAccess), slice,
                    "WRITE(16) lba=" + at + " blocks=" + count + (forceUnitAccess ? " FUA" : "")), at));
            done += count;
        }
        return settle(pieces);
    }

    private CompletableFuture<Void> synchronizeCache() {
        boolean legacy = synchronizeCache10;
        byte[] cdb = legacy ? Cdbs.synchronizeCache10() : Cdbs.synchronizeCache16();
        String label = legacy ? "SYNCHRONIZE CACHE(10)" : "SYNCHRONIZE CACHE(16)";
        return runner.run(ScsiRequest.read(cdb, 0, label), -1).<Void>thenApply(outcome -> {
            outcome.release();
            return null;
        }).exceptionallyCompose(failure -> {
            if (!legacy && LunProbe.refusedByTarget(failure)) {
                LOG.info("{}: SYNCHRONIZE CACHE(16) refused; using SYNCHRONIZE CACHE(10)", target.describe());
                synchronizeCache10 = true;
                return synchronizeCache();
            }
            return CompletableFuture.failedFuture(failure);
        });
    }

    /** One UNMAP command per MAXIMUM UNMAP LBA COUNT blocks; a target that refuses UNMAP turns it off (it is advisory). */
    private CompletableFuture<Void> unmapPieces(long lba, long blocks) {
        long max = Math.min(limits().maxUnmapBlocks(), 0xFFFF_FFFFL);
        List<CompletableFuture<ScsiOutcome>> pieces = new ArrayList<>();
        List<ByteBuf> lists = new ArrayList<>();
        for (long at = lba, end = lba + blocks; at < end; ) {
            long count = Math.min(max, end - at);
            ByteBuf list = Cdbs.unmapParameters(new long[] {at}, new long[] {count}, ByteBufAllocator.DEFAULT);
            lists.add(list);
            pieces.add(runner.run(ScsiRequest.write(Cdbs.unmap(list.readableBytes()), list,
                    "UNMAP lba=" + at + " blocks=" + count), -1));
            at += count;
        }
        return settle(pieces).whenComplete((ok, failure) -> lists.forEach(ByteBuf::release))
                .exceptionallyCompose(failure -> {
                    if (LunProbe.refusedByTarget(failure)) {
                        LOG.info("{}: UNMAP refused ({}); unmapping is advisory, so it is off from now on",
                                target.describe(), unwrap(failure).getMessage());
                        unmapRefused = true;
                        return CompletableFuture.completedFuture(null);
                    }
                    return CompletableFuture.failedFuture(failure);
                });
    }

    /** Completes when every piece did; fails with the first failure in order. */
    private static CompletableFuture<Void> settle(List<CompletableFuture<ScsiOutcome>> pieces) {
        return CompletableFuture.allOf(pieces.toArray(CompletableFuture[]::new)).handle((ignored, failure) -> {
            RuntimeException first = null;
            for (CompletableFuture<ScsiOutcome> piece : pieces) {
                if (piece.isCompletedExceptionally()) {
                    first = first != null ? first : unwrap(piece.exceptionNow());
                } else {
                    piece.resultNow().release();
                }
            }
            if (first != null) {
                throw first;
            }
            return null;
        });
    }

    /** Runs {@code action} on the session's event loop; a closed LUN or a stopped loop fails {@code result}. */
    private void onLoop(CompletableFuture<?> result, Runnable cleanup, Runnable action) {
        if (closed.get()) {
            if (cleanup != null) {
                cleanup.run();
            }
            deliver(result, null, Session.failure(target.describe() + " is closed", null), null);
            return;
        }
        try {
            session.loop().execute(action);
        } catch (RejectedExecutionException e) {
            if (cleanup != null) {
                cleanup.run();
            }
            deliver(result, null, Session.failure("the initiator is shut down", e), null);
        }
    }

    /** Completes {@code result} on the completion executor; a value nobody takes is discarded. */
    private <T> void deliver(CompletableFuture<T> result, T value, Throwable failure, Consumer<T> discard) {
        Runnable complete = () -> {
            if (failure != null) {
                result.completeExceptionally(unwrap(failure));
            } else if (!result.complete(value) && discard != null && value != null) {
                discard.accept(value);
            }
        };
        try {
            completions.execute(complete);
        } catch (RejectedExecutionException e) {
            complete.run();
        }
    }

    private static RuntimeException unwrap(Throwable failure) {
        Throwable cause = failure;
        while (cause instanceof CompletionException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause instanceof RuntimeException runtime ? runtime : new CompletionException(cause);
    }
}
