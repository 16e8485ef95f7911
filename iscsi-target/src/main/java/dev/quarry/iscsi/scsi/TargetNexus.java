package dev.quarry.iscsi.scsi;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One I_T nexus attached to a {@link ScsiTargetDevice}: routes commands and task management to
 * the logical unit their LUN names, and answers for LUNs that are not mapped (SPC-4 §6.6.2, §6.33, §6.39):
 * REPORT LUNS is served at any LUN, INQUIRY reports peripheral qualifier 011b, REQUEST SENSE
 * returns LOGICAL UNIT NOT SUPPORTED as its data, everything else ends in CHECK CONDITION
 * ILLEGAL REQUEST / LOGICAL UNIT NOT SUPPORTED.
 *
 * <p>Thread-safe; never blocks; its stages never complete exceptionally.
 */
final class TargetNexus implements NexusPort {

    private static final Logger LOG = LoggerFactory.getLogger(TargetNexus.class);

    private final ScsiTargetDevice target;
    private final ItNexus nexus;
    private final NexusEvents events;
    private final AtomicBoolean closed = new AtomicBoolean();

    TargetNexus(ScsiTargetDevice target, ItNexus nexus, NexusEvents events) {
        this.target = target;
        this.nexus = nexus;
        this.events = events;
    }

    ItNexus nexus() {
        return nexus;
    }

    NexusEvents events() {
        return events;
    }

    /** Whether {@link #close()} was called; a port detaches from its target right after. */
    boolean closed() {
        return closed.get();
    }

    @Override
    public CompletionStage<ScsiResponse> execute(ScsiCommand command) {
        try {
            if (closed.get()) {
                Buffers.release(command.dataOut());
                return CompletableFuture.completedFuture(ScsiResponse.abortedSilently());
            }
            LogicalUnit unit = target.unitAt(command.lun());
            if (unit != null) {
                return unit.submit(nexus, command);
            }
            Buffers.release(command.dataOut());
            return CompletableFuture.completedFuture(unmapped(command));
        } catch (RuntimeException | Error e) {
            LOG.error("internal target failure: lun=0x{} itt=0x{} initiator={}", Long.toHexString(command.lun()),
                    Long.toHexString(command.taskTag()), nexus.initiatorPortName(), e);
            Buffers.release(command.dataOut());
            return CompletableFuture.completedFuture(CommandOutcomes.checkCondition(
                    SenseData.of(SenseKey.HARDWARE_ERROR, AscAscq.INTERNAL_TARGET_FAILURE), false, 0));
        }
    }

    private ScsiResponse unmapped(ScsiCommand command) {
        byte[] cdb = command.cdb();
        SenseData notSupported = SenseData.of(SenseKey.ILLEGAL_REQUEST, AscAscq.LOGICAL_UNIT_NOT_SUPPORTED);
        try {
            ScsiResult result = switch (command.operationCode()) {
                case 0xA0 -> ReportLunsHandler.report(cdb, target.mappedLuns());
                case 0x12 -> InquiryHandler.unmappedLun(cdb);
                case 0x03 -> RequestSenseHandler.senseAsData(cdb, notSupported);
                default -> throw new ScsiCommandException(notSupported);
            };
            if (command.operationCode() == 0xA0) {
                target.reportedLunsDelivered(nexus);
            }
            return CommandOutcomes.success(result, 0);
        } catch (ScsiCommandException e) {
            return CommandOutcomes.checkCondition(e.sense(), false, 0);
        }
    }

    @Override
    public CompletionStage<TmfResult> abortTask(long lun, long referencedTaskTag) {
        LogicalUnit unit = target.unitAt(lun);
        return unit == null ? lunDoesNotExist() : unit.abortTask(nexus, referencedTaskTag);
    }

    @Override
    public CompletionStage<TmfResult> abortTaskSet(long lun) {
        LogicalUnit unit = target.unitAt(lun);
        return unit == null ? lunDoesNotExist() : unit.abortTaskSet(nexus);
    }

    @Override
    public CompletionStage<TmfResult> clearTaskSet(long lun) {
        LogicalUnit unit = target.unitAt(lun);
        return unit == null ? lunDoesNotExist() : unit.clearTaskSet(nexus);
    }

    /** ACA is not supported (NormACA 0), so CLEAR ACA is not either (SAM-5 §7.3). */
    @Override
    public CompletionStage<TmfResult> clearAca(long lun) {
        LogicalUnit unit = target.unitAt(lun);
        return unit == null ? lunDoesNotExist() : CompletableFuture.completedFuture(TmfResult.FUNCTION_NOT_SUPPORTED);
    }

    @Override
    public CompletionStage<TmfResult> logicalUnitReset(long lun) {
        LogicalUnit unit = target.unitAt(lun);
        return unit == null ? lunDoesNotExist() : unit.reset(nexus, AscAscq.BUS_DEVICE_RESET_FUNCTION_OCCURRED);
    }

    @Override
    public CompletionStage<TmfResult> targetReset(boolean cold) {
        return target.reset(nexus, cold);
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            target.detach(this);
        }
    }

    private static CompletionStage<TmfResult> lunDoesNotExist() {
        return CompletableFuture.completedFuture(TmfResult.LUN_DOES_NOT_EXIST);
    }

}
