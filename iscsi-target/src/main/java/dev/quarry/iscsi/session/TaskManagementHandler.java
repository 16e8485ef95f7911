package dev.quarry.iscsi.session;

import dev.quarry.iscsi.pdu.IscsiProtocolException;
import dev.quarry.iscsi.pdu.TaskManagementFunction;
import dev.quarry.iscsi.pdu.TaskManagementRequestPdu;
import dev.quarry.iscsi.pdu.TaskManagementResponsePdu;
import dev.quarry.iscsi.scsi.NexusPort;
import dev.quarry.iscsi.scsi.TmfResult;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Task management functions (RFC 7143 §11.5, §4.2.3): the transport aborts the tasks it still
 * holds itself (waiting for Data-Out or for their turn), asks the {@link NexusPort} for the rest,
 * and answers only once every affected task is done, so that no aborted write lands after the
 * response. TARGET COLD RESET closes the connection after its response (RFC 7143 §11.5.1).
 * Functions an ErrorRecoveryLevel 0 target cannot honour are answered 4 or 5.
 *
 * <p>Not thread-safe; confined to the channel event loop.
 */
final class TaskManagementHandler {

    private static final Logger LOG = LoggerFactory.getLogger(TaskManagementHandler.class);

    private final SessionContext session;
    private final ScsiCommandHandler commands;
    private boolean closed;

    TaskManagementHandler(SessionContext session, ScsiCommandHandler commands) {
        this.session = session;
        this.commands = commands;
    }

    /** Handles {@code request} in its turn (at once when immediate). */
    void handle(TaskManagementRequestPdu request) {
        TaskManagementFunction function;
        try {
            function = TaskManagementFunction.of(request.function());
        } catch (IscsiProtocolException e) {
            session.out().reject(e.reason(), request);
            return;
        }
        NexusPort port = session.port();
        long lun = request.lun();
        LOG.info("{} lun={} initiator={}", function, lun, session.initiatorName());
        switch (function) {
            case ABORT_TASK -> abortTask(request);
            case ABORT_TASK_SET -> reset(request, t -> t.lun() == lun, () -> port.abortTaskSet(lun), false);
            case CLEAR_TASK_SET -> reset(request, t -> t.lun() == lun, () -> port.clearTaskSet(lun), false);
            case CLEAR_ACA -> reset(request, t -> false, () -> port.clearAca(lun), false);
            case LOGICAL_UNIT_RESET -> reset(request, t -> t.lun() == lun, () -> port.logicalUnitReset(lun), false);
            case TARGET_WARM_RESET -> reset(request, t -> true, () -> port.targetReset(false), false);
            case TARGET_COLD_RESET -> reset(request, t -> true, () -> port.targetReset(true), true);
            case TASK_REASSIGN -> respond(request, TmfResult.REASSIGNMENT_NOT_SUPPORTED, false);
            case QUERY_TASK, QUERY_TASK_SET, I_T_NEXUS_RESET, QUERY_ASYNC_EVENT ->
                    respond(request, TmfResult.FUNCTION_NOT_SUPPORTED, false);
        }
    }

    private void abortTask(TaskManagementRequestPdu request) {
        ScsiTask task = session.tasks().get(request.referencedTaskTag());
        if (task == null || task.lun() != request.lun()) {
            if (task == null && notYetArrived(request)) {
                commands.abortBeforeArrival(request.refCmdSn());
                respond(request, TmfResult.FUNCTION_COMPLETE, false);
            } else {
                respond(request, TmfResult.TASK_DOES_NOT_EXIST, false);
            }
            return;
        }
        if (!task.delivered()) {
            commands.abortHeld(task);
            respond(request, TmfResult.FUNCTION_COMPLETE, false);
            return;
        }
        whenDone(request, call(() -> session.port().abortTask(request.lun(), Integer.toUnsignedLong(task.initiatorTaskTag()))),
                List.of(task.done()), false);
    }

    /**
     * RFC 7143 §11.5.1 (b): a referenced command whose CmdSN is inside the window and below the
     * TMF's has not arrived yet; it counts as received and is discarded when it comes.
     */
    private boolean notYetArrived(TaskManagementRequestPdu request) {
        CommandWindow.Position position = session.window().position(request.refCmdSn());
        return SerialNumber.lessThan(request.refCmdSn(), request.cmdSn())
                && (position == CommandWindow.Position.NEXT || position == CommandWindow.Position.AHEAD);
    }

    /**
     * Aborts the held tasks {@code affected} selects, calls the SCSI layer, and answers once both
     * its stage and every affected delivered task have completed.
     */
    private void reset(TaskManagementRequestPdu request, Predicate<ScsiTask> affected,
                       Supplier<CompletionStage<TmfResult>> call, boolean closeAfter) {
        List<CompletableFuture<Void>> delivered = new ArrayList<>();
        for (ScsiTask task : session.tasks().select(affected)) {
            if (task.delivered()) {
                delivered.add(task.done());
            } else if (task.ordered()) {
                commands.abortHeld(task);
            }
        }
        whenDone(request, call(call), delivered, closeAfter);
    }

    private void whenDone(TaskManagementRequestPdu request, CompletionStage<TmfResult> stage,
                          List<CompletableFuture<Void>> affected, boolean closeAfter) {
        CompletableFuture<Void> tasksDone = CompletableFuture.allOf(affected.toArray(CompletableFuture[]::new));
        stage.toCompletableFuture().thenCombine(tasksDone, (result, ignored) -> result).whenComplete((result, error) -> {
            try {
                session.out().executor().execute(() -> {
                    if (error != null) {
                        LOG.error("task management failed itt=0x{} initiator={}",
                                Integer.toHexString(request.initiatorTaskTag()), session.initiatorName(), error);
                    }
                    respond(request, error == null ? result : TmfResult.FUNCTION_REJECTED, closeAfter);
                });
            } catch (RejectedExecutionException e) {
                LOG.debug("connection gone before task management completed", e);
            }
        });
    }

    private static CompletionStage<TmfResult> call(Supplier<CompletionStage<TmfResult>> call) {
        try {
            return call.get();
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private void respond(TaskManagementRequestPdu request, TmfResult result, boolean closeAfter) {
        if (closed) {
            return;
        }
        SequenceNumbers numbers = session.numbers();
        session.out().write(new TaskManagementResponsePdu(result.code(), request.initiatorTaskTag(), numbers.takeStatSn(),
                numbers.expCmdSn(), numbers.maxCmdSn()));
        if (closeAfter) {
            session.out().closeAfterFlush();
        } else {
            session.out().flush();
        }
    }

    void close() {
        closed = true;
    }
}
