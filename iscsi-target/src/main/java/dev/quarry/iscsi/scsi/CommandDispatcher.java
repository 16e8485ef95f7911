package dev.quarry.iscsi.scsi;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Runs one command of a logical unit: the checks every command passes in SAM-5/SPC-4 order
 * (task attribute, unit attention, operation code, control byte, reservations, sanitize), then
 * the handler of its family, chosen by an exhaustive switch over {@link ScsiOpcode} (STYLE B4),
 * and finally turns the outcome into a {@link ScsiResponse} through {@link CommandOutcomes}.
 *
 * <p>Thread-safe: handlers are stateless.
 */
final class CommandDispatcher {

    private final CommandHandler testUnitReady = new TestUnitReadyHandler();
    private final CommandHandler requestSense = new RequestSenseHandler();
    private final CommandHandler inquiry = new InquiryHandler();
    private final CommandHandler reportLuns = new ReportLunsHandler();
    private final CommandHandler modeSense = new ModeSenseHandler();
    private final CommandHandler modeSelect = new ModeSelectHandler();
    private final CommandHandler readCapacity = new ReadCapacityHandler();
    private final CommandHandler read = new ReadHandler();
    private final CommandHandler write = new WriteHandler();
    private final CommandHandler verify = new VerifyHandler();
    private final CommandHandler orWrite = new OrWriteHandler();
    private final CommandHandler compareAndWrite = new CompareAndWriteHandler();
    private final CommandHandler writeSame = new WriteSameHandler();
    private final CommandHandler unmap = new UnmapHandler();
    private final CommandHandler getLbaStatus = new GetLbaStatusHandler();
    private final CommandHandler synchronizeCache = new SynchronizeCacheHandler();
    private final CommandHandler prefetch = new PrefetchHandler();
    private final CommandHandler reserveRelease = new ReserveReleaseHandler();
    private final CommandHandler persistentReserveIn = new PersistentReserveInHandler();
    private final CommandHandler persistentReserveOut = new PersistentReserveOutHandler();
    private final CommandHandler startStopUnit = new StartStopUnitHandler();
    private final CommandHandler preventAllow = new PreventAllowHandler();
    private final CommandHandler readDefectData = new ReadDefectDataHandler();
    private final CommandHandler sanitize = new SanitizeHandler();
    private final CommandHandler extendedCopy = new ExtendedCopyHandler();
    private final CommandHandler receiveCopyResults = new ReceiveCopyResultsHandler();
    private final CommandHandler reportTargetPortGroups = new ReportTargetPortGroupsHandler();
    private final CommandHandler reportSupportedOpcodes = new ReportSupportedOpcodesHandler();
    private final CommandHandler reportSupportedTmf = new ReportSupportedTmfHandler();

    /** Runs {@code task}; the stage never completes exceptionally. */
    CompletionStage<ScsiResponse> execute(LogicalUnit unit, ScsiTask task) {
        CommandContext context = new CommandContext(unit, task);
        CompletionStage<ScsiResult> outcome;
        try {
            outcome = admit(unit, context);
        } catch (RuntimeException | Error e) {
            outcome = CompletableFuture.failedFuture(e);
        }
        return outcome.handle((result, failure) -> failure == null
                ? CommandOutcomes.success(result, context.expectedDataOut())
                : CommandOutcomes.failure(failure, task, unit.mode().settings().descriptorSense(), context.expectedDataOut()));
    }

    private CompletionStage<ScsiResult> admit(LogicalUnit unit, CommandContext context) {
        byte[] cdb = context.cdb();
        ScsiOpcode opcode = cdb.length == 0 ? null : ScsiOpcode.of(cdb[0] & 0xFF);
        if (context.task().attribute() == TaskAttribute.ACA) {
            throw ScsiCommandException.illegalRequest(AscAscq.INVALID_MESSAGE_ERROR);
        }
        if (!exemptFromUnitAttention(opcode)) {
            AscAscq attention = unit.attentions().take(context.nexus());
            if (attention != null) {
                throw new ScsiCommandException(SenseData.of(SenseKey.UNIT_ATTENTION, attention));
            }
        }
        if (opcode == null) {
            throw ScsiCommandException.invalidOpcode();
        }
        if (cdb.length < opcode.cdbLength()) {
            throw ScsiCommandException.invalidFieldInCdb(cdb.length - 1, -1);
        }
        CommandCatalog.requireOffered(unit.limits(), opcode, cdb);
        Cdb.control(cdb, opcode.cdbLength());
        ReservationAccess access = ReservationAccess.of(opcode, cdb);
        if (unit.reservationConflict(context.nexus(), access)) {
            return CompletableFuture.completedFuture(ScsiResult.reservationConflict());
        }
        checkSanitize(unit, opcode);
        return handlerFor(opcode, cdb).execute(context);
    }

    private static void checkSanitize(LogicalUnit unit, ScsiOpcode opcode) {
        if (exemptFromUnitAttention(opcode)) {
            return;
        }
        SanitizeState state = unit.sanitizeState();
        if (state.running()) {
            throw new ScsiCommandException(SenseData.of(SenseKey.NOT_READY, AscAscq.SANITIZE_IN_PROGRESS)
                    .withProgress(state.progress()));
        }
        if (state.failed() && accessesMedium(opcode)) {
            throw new ScsiCommandException(SenseData.of(SenseKey.MEDIUM_ERROR, AscAscq.SANITIZE_COMMAND_FAILED));
        }
    }

    /** INQUIRY, REPORT LUNS and REQUEST SENSE are served whatever conditions are pending (SPC-4 §5.14). */
    static boolean exemptFromUnitAttention(ScsiOpcode opcode) {
        return opcode == ScsiOpcode.INQUIRY || opcode == ScsiOpcode.REPORT_LUNS || opcode == ScsiOpcode.REQUEST_SENSE;
    }

    /**
     * The commands sanitize failure mode refuses (SBC-4: medium access commands). TEST UNIT READY
     * is not one: it reads nothing, and answering it with an error would leave the unit unusable
     * to hosts that fail a login or loop on it (libiscsi fails its login on any TEST UNIT READY
     * error but a few; its Sanitize tests poll it until GOOD), so they could not even send the
     * SANITIZE that recovers it. REQUEST SENSE reports the failure instead.
     */
    private static boolean accessesMedium(ScsiOpcode opcode) {
        return switch (opcode) {
            case READ_6, READ_10, READ_12, READ_16, WRITE_6, WRITE_10, WRITE_12, WRITE_16,
                 WRITE_AND_VERIFY_10, WRITE_AND_VERIFY_12, WRITE_AND_VERIFY_16, VERIFY_10, VERIFY_12, VERIFY_16,
                 WRITE_SAME_10, WRITE_SAME_16, WRITE_ATOMIC_16, ORWRITE_16, COMPARE_AND_WRITE, UNMAP, PRE_FETCH_10,
                 PRE_FETCH_16, SYNCHRONIZE_CACHE_10, SYNCHRONIZE_CACHE_16, EXTENDED_COPY, SERVICE_ACTION_IN_16 -> true;
            default -> false;
        };
    }

    private CommandHandler handlerFor(ScsiOpcode opcode, byte[] cdb) {
        return switch (opcode) {
            case TEST_UNIT_READY -> testUnitReady;
            case REQUEST_SENSE -> requestSense;
            case INQUIRY -> inquiry;
            case REPORT_LUNS -> reportLuns;
            case MODE_SENSE_6, MODE_SENSE_10 -> modeSense;
            case MODE_SELECT_6, MODE_SELECT_10 -> modeSelect;
            case READ_CAPACITY_10 -> readCapacity;
            case SERVICE_ACTION_IN_16 -> (cdb[1] & 0x1F) == ServiceActions.GET_LBA_STATUS ? getLbaStatus : readCapacity;
            case READ_6, READ_10, READ_12, READ_16 -> read;
            case WRITE_6, WRITE_10, WRITE_12, WRITE_16, WRITE_AND_VERIFY_10, WRITE_AND_VERIFY_12, WRITE_AND_VERIFY_16,
                 WRITE_ATOMIC_16 -> write;
            case VERIFY_10, VERIFY_12, VERIFY_16 -> verify;
            case ORWRITE_16 -> orWrite;
            case COMPARE_AND_WRITE -> compareAndWrite;
            case WRITE_SAME_10, WRITE_SAME_16 -> writeSame;
            case UNMAP -> unmap;
            case SYNCHRONIZE_CACHE_10, SYNCHRONIZE_CACHE_16 -> synchronizeCache;
            case PRE_FETCH_10, PRE_FETCH_16 -> prefetch;
            case RESERVE_6, RESERVE_10, RELEASE_6, RELEASE_10 -> reserveRelease;
            case PERSISTENT_RESERVE_IN -> persistentReserveIn;
            case PERSISTENT_RESERVE_OUT -> persistentReserveOut;
            case START_STOP_UNIT -> startStopUnit;
            case PREVENT_ALLOW_MEDIUM_REMOVAL -> preventAllow;
            case READ_DEFECT_DATA_10, READ_DEFECT_DATA_12 -> readDefectData;
            case SANITIZE -> sanitize;
            case EXTENDED_COPY -> extendedCopy;
            case RECEIVE_COPY_RESULTS -> receiveCopyResults;
            case MAINTENANCE_IN -> maintenanceIn(cdb[1] & 0x1F);
        };
    }

    private CommandHandler maintenanceIn(int serviceAction) {
        return switch (serviceAction) {
            case ServiceActions.REPORT_TARGET_PORT_GROUPS -> reportTargetPortGroups;
            case ServiceActions.REPORT_SUPPORTED_OPERATION_CODES -> reportSupportedOpcodes;
            default -> reportSupportedTmf;
        };
    }
}
