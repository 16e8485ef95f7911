package dev.quarry.iscsi.initiator;

import dev.quarry.block.BlockIoException;
import dev.quarry.block.SenseCode;
import dev.quarry.iscsi.scsi.SenseData;
import dev.quarry.iscsi.scsi.SenseKey;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps what the initiator knows about a remote LUN current: after every reconnect it checks the
 * LUN is still the one that was opened (same NAA designator, or vendor, product and serial number)
 * before any queued command goes out, and it refreshes the capacity when the target reports
 * CAPACITY DATA HAS CHANGED (2A/09) in a unit attention or an asynchronous event. A LUN whose
 * identity or block size changed ends its session: writing to another disk would destroy it.
 *
 * <p>Thread-safe reads of the published values; everything else runs on the session's event loop.
 */
final class LunWatcher implements SessionListener, CommandRunner.CapacityListener {

    private static final Logger LOG = LoggerFactory.getLogger(LunWatcher.class);

    private final LunProbe probe;
    private final RemoteTarget target;
    private final Consumer<Throwable> fatal;
    private volatile RemoteLunIdentity identity;
    private volatile LunProbe.Capacity capacity;
    private volatile RemoteLunLimits limits;
    private boolean refreshing;
    private boolean refreshAgain;

    /**
     * @param fatal ends the session when the LUN turns out to have changed under us
     */
    LunWatcher(LunProbe probe, RemoteTarget target, Consumer<Throwable> fatal) {
        this.probe = probe;
        this.target = target;
        this.fatal = fatal;
    }

    /** Takes the result of the probe that opened the LUN. */
    void opened(LunProbe.Result result) {
        capacity = result.capacity();
        limits = result.limits();
        identity = result.identity();
    }

    RemoteLunIdentity identity() {
        return identity;
    }

    LunProbe.Capacity capacity() {
        return capacity;
    }

    RemoteLunLimits limits() {
        return limits;
    }

    @Override
    public CompletableFuture<Void> reconnected() {
        RemoteLunIdentity known = identity;
        if (known == null) {
            return CompletableFuture.completedFuture(null);
        }
        return probe.identity(true).thenCompose(found -> {
            if (!known.sameLun(found)) {
                throw new BlockIoException(SenseCode.COMMUNICATION_FAILURE, target.describe() + " now presents "
                        + found.deviceId() + " instead of " + known.deviceId());
            }
            return probe.capacity(true);
        }).thenAccept(this::update);
    }

    @Override
    public void asyncEvent(SenseData sense) {
        if (sense.senseKey() == SenseKey.UNIT_ATTENTION && sense.asc() == 0x2A && sense.ascq() == 0x09) {
            capacityChanged();
        } else {
            LOG.info("{}: asynchronous event {}/{}/{}", target.describe(), sense.senseKey(),
                    Integer.toHexString(sense.asc()), Integer.toHexString(sense.ascq()));
        }
    }

    /** Reads the capacity again; refreshes asked for while one runs are merged into one more. */
    @Override
    public void capacityChanged() {
        if (capacity == null) {
            return;
        }
        if (refreshing) {
            refreshAgain = true;
            return;
        }
        refreshing = true;
        probe.capacity(false).whenComplete((fresh, failure) -> {
            refreshing = false;
            if (failure != null) {
                LOG.warn("{}: reading the changed capacity failed", target.describe(), failure);
            } else {
                try {
                    update(fresh);
                } catch (BlockIoException e) {
                    LOG.error("{}: giving the session up", target.describe(), e);
                    fatal.accept(e);
                }
            }
            if (refreshAgain) {
                refreshAgain = false;
                capacityChanged();
            }
        });
    }

    private void update(LunProbe.Capacity fresh) {
        LunProbe.Capacity old = capacity;
        if (old != null && fresh.blockSize() != old.blockSize()) {
            throw new BlockIoException(SenseCode.COMMUNICATION_FAILURE, target.describe() + " changed its block size from "
                    + old.blockSize() + " to " + fresh.blockSize());
        }
        capacity = fresh;
        if (old != null && old.blocks() != fresh.blocks()) {
            LOG.info("{}: capacity changed from {} to {} blocks of {} bytes", target.describe(), old.blocks(), fresh.blocks(),
                    fresh.blockSize());
        }
    }
}
