package dev.quarry.iscsi.session;

import dev.quarry.iscsi.pdu.Bhs;
import dev.quarry.iscsi.pdu.DataOutPdu;
import dev.quarry.iscsi.pdu.R2tPdu;
import dev.quarry.iscsi.pdu.RejectReason;
import dev.quarry.iscsi.pdu.ScsiCommandPdu;
import dev.quarry.iscsi.scsi.ScsiCommand;
import dev.quarry.iscsi.scsi.ScsiResponse;
import dev.quarry.iscsi.scsi.TaskAttribute;
import io.netty.buffer.ByteBuf;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SCSI data path of one session (RFC 7143 §3.2, §4.2.2.5): turns SCSI Command PDUs into
 * tasks, collects their Data-Out and issues R2Ts, hands tasks to the {@code NexusPort} strictly
 * in CmdSN order (immediate ones at once), and answers each from the event loop when its stage
 * completes.
 *
 * <p>Not thread-safe; confined to the channel event loop. Results of the SCSI layer hop back via
 * the channel's executor.
 */
final class ScsiCommandHandler {

    private static final Logger LOG = LoggerFactory.getLogger(ScsiCommandHandler.class);

    private final SessionContext session;
    private final ScsiResponseWriter writer;
    private final Set<Integer> preAborted = new HashSet<>();
    private int immediateRunning;
    private boolean closed;

    ScsiCommandHandler(SessionContext session) {
        this.session = session;
        this.writer = new ScsiResponseWriter(session);
    }

    /**
     * Turns an arriving SCSI Command into the request that runs in its CmdSN turn (at once when
     * immediate). Takes ownership of {@code command}.
     *
     * @param refusal a Reject reason the session already decided on (Discovery session, logout
     *     pending), or {@code null}
     * @param corruptData the immediate data failed its digest (RFC 7143 §7.8: the header is sane)
     */
    OrderedRequest prepare(ScsiCommandPdu command, RejectReason refusal, boolean corruptData) {
        if (!command.immediate() && preAborted.remove(command.cmdSn())) {
            command.release();
            return OrderedRequest.NOTHING;
        }
        RejectReason reason = refusal != null ? refusal : validate(command);
        if (reason != null) {
            byte[] header = Outbound.header(command);
            command.release();
            return rejection(reason, header);
        }
        ScsiTask task = new ScsiTask(command, TaskAttribute.ofIscsiCode(command.attr()));
        if (command.write()) {
            DataOutCollector collector = new DataOutCollector(command.expectedDataTransferLengthUnsigned(),
                    !command.finalPdu(), session.parameters(), session.out().alloc());
            task.collector(collector);
            collector.immediateData(command.data(), session.parameters().immediateData());
        } else {
            command.release();
        }
        presetFailure(task, corruptData);
        session.tasks().add(task);
        if (task.immediate()) {
            immediateRunning++;
        }
        return new OrderedRequest() {
            @Override
            public void process() {
                ScsiCommandHandler.this.process(task);
            }

            @Override
            public void discard() {
                abortHeld(task);
            }
        };
    }

    private RejectReason validate(ScsiCommandPdu command) {
        if (command.immediate() && immediateRunning >= session.settings().maxImmediateCommands()) {
            return RejectReason.IMMEDIATE_COMMAND_REJECT;
        }
        if (command.initiatorTaskTag() == Bhs.RESERVED_TAG || session.tasks().inUse(command.initiatorTaskTag())) {
            return RejectReason.INVALID_PDU_FIELD;
        }
        if (!command.write() && command.data().isReadable()) {
            return RejectReason.INVALID_PDU_FIELD;
        }
        try {
            TaskAttribute.ofIscsiCode(command.attr());
        } catch (IllegalArgumentException e) {
            return RejectReason.INVALID_PDU_FIELD;
        }
        return null;
    }

    /** Transfers the transport cannot carry end with CHECK CONDITION before any data moves. */
    private void presetFailure(ScsiTask task, boolean corruptData) {
        if (corruptData) {
            task.fail(TransportSense.PROTOCOL_SERVICE_CRC_ERROR);
        }
        long limit = task.write() ? session.settings().maxWriteTransferLength() : Integer.MAX_VALUE;
        if (task.read() && task.write() || task.expectedDataTransferLength() > limit) {
            task.fail(TransportSense.INVALID_FIELD_IN_CDB);
        }
    }

    private OrderedRequest rejection(RejectReason reason, byte[] header) {
        return new OrderedRequest() {
            @Override
            public void process() {
                session.out().reject(reason, header);
            }

            @Override
            public void discard() {
            }
        };
    }

    /** The task's turn in CmdSN order (immediately for immediate tasks). */
    private void process(ScsiTask task) {
        if (task.aborted()) {
            return;
        }
        if (!task.immediate()) {
            task.markOrdered();
            session.window().taskStarted();
            session.tasks().enqueue(task);
        }
        progress(task);
    }

    /** A Data-Out arrived; takes ownership of {@code pdu}. */
    void dataOut(DataOutPdu pdu) {
        try {
            ScsiTask task = session.tasks().get(pdu.initiatorTaskTag());
            if (task == null || task.collector() == null || task.delivered()) {
                if (task == null && session.tasks().recentlyEnded(pdu.initiatorTaskTag())) {
                    LOG.debug("dropping Data-Out for ended task itt=0x{}", Integer.toHexString(pdu.initiatorTaskTag()));
                } else {
                    session.out().reject(RejectReason.INVALID_PDU_FIELD, pdu);
                }
                return;
            }
            RejectReason reject = task.collector().dataOut(pdu);
            if (reject != null) {
                LOG.info("Data-Out error on itt=0x{} initiator={}: {}", Integer.toHexString(task.initiatorTaskTag()),
                        session.initiatorName(), task.failure());
                session.out().reject(reject, pdu);
            }
            if (task.ordered()) {
                progress(task);
            }
        } finally {
            pdu.release();
        }
    }

    /** A Data-Out whose data digest failed; it was rejected already. */
    void corruptDataOut(DataOutPdu pdu) {
        ScsiTask task = session.tasks().get(pdu.initiatorTaskTag());
        if (task != null && task.collector() != null && !task.delivered()) {
            task.collector().corruptDataOut(pdu.targetTransferTag(), pdu.finalPdu());
            if (task.ordered()) {
                progress(task);
            }
        }
    }

    /** Moves {@code task} on after anything changed: fail, solicit more data, or deliver. */
    private void progress(ScsiTask task) {
        if (task.failure() != null) {
            session.tasks().dequeue(task);
            if (task.settled()) {
                endWithFailure(task);
            } else {
                armGrace(task);
            }
            deliverReady();
            return;
        }
        if (task.collector() != null) {
            solicit(task);
        }
        if (task.immediate()) {
            if (task.ready()) {
                deliver(task);
            }
        } else {
            deliverReady();
        }
    }

    private void solicit(ScsiTask task) {
        List<DataOutCollector.R2tRequest> requests = task.collector().nextR2ts(session::nextTargetTransferTag);
        if (requests.isEmpty()) {
            return;
        }
        SequenceNumbers numbers = session.numbers();
        for (DataOutCollector.R2tRequest r : requests) {
            session.out().write(new R2tPdu(task.lun(), task.initiatorTaskTag(), r.targetTransferTag(), numbers.peekStatSn(),
                    numbers.expCmdSn(), numbers.maxCmdSn(), r.r2tSn(), r.bufferOffset(), r.desiredDataTransferLength()));
        }
        session.out().flush();
    }

    private void deliverReady() {
        for (ScsiTask task : session.tasks().takeReady()) {
            deliver(task);
        }
    }

    private void deliver(ScsiTask task) {
        task.markDelivered();
        ByteBuf data = task.collector() != null ? task.collector().take() : null;
        ScsiCommand command = new ScsiCommand(task.lun(), Integer.toUnsignedLong(task.initiatorTaskTag()), task.attribute(),
                task.cdb(), (int) task.expectedDataTransferLength(), data);
        CompletionStage<ScsiResponse> stage;
        try {
            stage = session.port().execute(command);
        } catch (RuntimeException e) {
            stage = CompletableFuture.failedFuture(e);
        }
        CompletableFuture<ScsiResponse> outcome = stage.toCompletableFuture();
        if (outcome.isDone() && session.out().executor().inEventLoop()) {
            // Done already (a cached read, a write acknowledged in the write-back window): answer
            // now, within this PDU's turn, instead of after the event loop's queued tasks.
            outcome.whenComplete((response, error) -> completed(task, response, error));
            return;
        }
        outcome.whenComplete((response, error) -> {
            try {
                session.out().executor().execute(() -> completed(task, response, error));
            } catch (RejectedExecutionException e) {
                release(response);
                task.done().complete(null);
            }
        });
    }

    private void completed(ScsiTask task, ScsiResponse response, Throwable error) {
        if (closed) {
            release(response);
            task.done().complete(null);
            return;
        }
        end(task, false);
        if (error != null || response == null) {
            LOG.error("SCSI layer failed itt=0x{} lun={} initiator={}", Integer.toHexString(task.initiatorTaskTag()),
                    task.lun(), session.initiatorName(), error);
            writer.sendFailure(task, TransportSense.INTERNAL_TARGET_FAILURE);
        } else if (response.delivered()) {
            writer.send(task, response);
        } else {
            release(response);
        }
        session.out().flush();
        task.done().complete(null);
    }

    private void endWithFailure(ScsiTask task) {
        TransportSense sense = task.failure();
        end(task, true);
        writer.sendFailure(task, sense);
        session.out().flush();
        task.done().complete(null);
    }

    /** RFC 7143 §11.17.1 waits for the initiator's remaining Data-Out; a silent initiator gets its answer anyway. */
    private void armGrace(ScsiTask task) {
        if (task.graceArmed()) {
            return;
        }
        long nanos = session.settings().dataOutGrace().toNanos();
        task.graceTimer(session.out().executor().schedule(() -> {
            if (!closed && session.tasks().get(task.initiatorTaskTag()) == task && !task.done().isDone()) {
                endWithFailure(task);
            }
        }, nanos, TimeUnit.NANOSECONDS));
    }

    /** Forgets {@code task} and frees its slot in the window or the immediate budget. */
    private void end(ScsiTask task, boolean ignoreLateData) {
        session.tasks().remove(task, ignoreLateData);
        task.discard();
        if (task.immediate()) {
            immediateRunning--;
        } else if (task.ordered()) {
            session.window().taskFinished();
        }
    }

    /**
     * Aborts a task the SCSI layer does not have yet (waiting for Data-Out, for its turn, or for
     * its CmdSN): no response is sent, as for any task aborted on behalf of its own nexus (SAM-5 §7.2).
     */
    void abortHeld(ScsiTask task) {
        if (task.delivered() || task.aborted()) {
            return;
        }
        task.markAborted();
        end(task, true);
        task.done().complete(null);
    }

    /** The ABORT TASK of a command not received yet: discard it when it arrives (RFC 7143 §11.5.1 b). */
    void abortBeforeArrival(int cmdSn) {
        preAborted.add(cmdSn);
    }

    /** Ends the data path: held tasks are freed, late results of the SCSI layer are released on arrival. */
    void close() {
        closed = true;
        for (ScsiTask task : session.tasks().select(t -> !t.delivered())) {
            abortHeld(task);
        }
        preAborted.clear();
    }

    private static void release(ScsiResponse response) {
        if (response != null && response.dataIn() != null) {
            response.dataIn().release();
        }
    }
}
