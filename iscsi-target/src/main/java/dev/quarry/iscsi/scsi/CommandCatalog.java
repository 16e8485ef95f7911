package dev.quarry.iscsi.scsi;

import dev.quarry.block.SanitizeMethod;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;

/**
 * Every command this target serves, as REPORT SUPPORTED OPERATION CODES describes it (SPC-4
 * §6.35): opcode, service action, CDB usage data (a one bit for each CDB bit the device server
 * evaluates; bit fields it refuses when non-zero, such as protection fields, are zero) and the
 * recommended command timeout. Some commands are offered only when the volume allows them: UNMAP
 * and GET LBA STATUS on thin volumes, WRITE ATOMIC(16) when the volume writes atomically.
 *
 * <p>Immutable and thread-safe.
 */
final class CommandCatalog {

    /** One supported command. */
    record Entry(ScsiOpcode opcode, int serviceAction, byte[] usage, int timeoutSeconds,
                 Predicate<DeviceLimits> offered) {

        boolean hasServiceAction() {
            return opcode.serviceActionBased();
        }

        byte[] usageCopy() {
            return usage.clone();
        }
    }

    private static final int IO_TIMEOUT = 30;
    private static final int LONG_TIMEOUT = 300;
    private static final List<Entry> ENTRIES = build();

    private CommandCatalog() {
    }

    /** The commands offered by a unit with {@code limits}, ascending by opcode and service action. */
    static List<Entry> offered(DeviceLimits limits) {
        return ENTRIES.stream().filter(e -> e.offered().test(limits)).toList();
    }

    /** The entry for {@code opcode}/{@code serviceAction} when a unit with {@code limits} offers it, else {@code null}. */
    static Entry find(DeviceLimits limits, int opcode, int serviceAction) {
        for (Entry entry : ENTRIES) {
            if (entry.opcode().code() == opcode && (!entry.hasServiceAction() || entry.serviceAction() == serviceAction)
                    && entry.offered().test(limits)) {
                return entry;
            }
        }
        return null;
    }

    /**
     * Fails when a unit with {@code limits} does not offer the command {@code cdb}: INVALID
     * COMMAND OPERATION CODE, or INVALID FIELD IN CDB at the SERVICE ACTION field for an
     * unsupported service action (SPC-4 §4.2.2).
     */
    static void requireOffered(DeviceLimits limits, ScsiOpcode opcode, byte[] cdb) {
        if (!opcode.serviceActionBased()) {
            if (find(limits, opcode.code(), 0) == null) {
                throw ScsiCommandException.invalidOpcode();
            }
            return;
        }
        if (find(limits, opcode.code(), cdb[1] & 0x1F) == null) {
            throw ScsiCommandException.invalidFieldInCdb(1, 4);
        }
    }

    private static List<Entry> build() {
        List<Entry> entries = new ArrayList<>();
        Predicate<DeviceLimits> always = limits -> true;
        Predicate<DeviceLimits> thin = limits -> limits.maxUnmapBlocks() > 0;
        Predicate<DeviceLimits> atomic = limits -> limits.atomic().supported();
        add(entries, ScsiOpcode.TEST_UNIT_READY, 0, "000000000000", IO_TIMEOUT, always);
        add(entries, ScsiOpcode.REQUEST_SENSE, 0, "03010000ff00", IO_TIMEOUT, always);
        add(entries, ScsiOpcode.READ_6, 0, "081fffffff00", IO_TIMEOUT, always);
        add(entries, ScsiOpcode.WRITE_6, 0, "0a1fffffff00", IO_TIMEOUT, always);
        add(entries, ScsiOpcode.INQUIRY, 0, "1201ffffff00", IO_TIMEOUT, always);
        add(entries, ScsiOpcode.MODE_SELECT_6, 0, "15110000ff00", IO_TIMEOUT, always);
        add(entries, ScsiOpcode.RESERVE_6, 0, "160000000000", IO_TIMEOUT, always);
        add(entries, ScsiOpcode.RELEASE_6, 0, "170000000000", IO_TIMEOUT, always);
        add(entries, ScsiOpcode.MODE_SENSE_6, 0, "1a08ffffff00", IO_TIMEOUT, always);
        add(entries, ScsiOpcode.START_STOP_UNIT, 0, "1b01000ff700", IO_TIMEOUT, always);
        add(entries, ScsiOpcode.PREVENT_ALLOW_MEDIUM_REMOVAL, 0, "1e0000000100", IO_TIMEOUT, always);
        add(entries, ScsiOpcode.READ_CAPACITY_10, 0, "25000000000000000100", IO_TIMEOUT, always);
        add(entries, ScsiOpcode.READ_10, 0, "281affffffff1fffff00", IO_TIMEOUT, always);
        add(entries, ScsiOpcode.WRITE_10, 0, "2a1affffffff1fffff00", IO_TIMEOUT, always);
        add(entries, ScsiOpcode.WRITE_AND_VERIFY_10, 0, "2e12ffffffff1fffff00", IO_TIMEOUT, always);
        add(entries, ScsiOpcode.VERIFY_10, 0, "2f16ffffffff1fffff00", IO_TIMEOUT, always);
        add(entries, ScsiOpcode.PRE_FETCH_10, 0, "3402ffffffff1fffff00", IO_TIMEOUT, always);
        add(entries, ScsiOpcode.SYNCHRONIZE_CACHE_10, 0, "3506ffffffff1fffff00", IO_TIMEOUT, always);
        add(entries, ScsiOpcode.READ_DEFECT_DATA_10, 0, "37001f00000000ffff00", IO_TIMEOUT, always);
        add(entries, ScsiOpcode.WRITE_SAME_10, 0, "4108ffffffff1fffff00", LONG_TIMEOUT, thin);
        add(entries, ScsiOpcode.WRITE_SAME_10, 0, "4100ffffffff1fffff00", LONG_TIMEOUT, thin.negate());
        add(entries, ScsiOpcode.UNMAP, 0, "4200000000001fffff00", LONG_TIMEOUT, thin);
        add(entries, ScsiOpcode.SANITIZE, ServiceActions.OVERWRITE, "48a10000000000ffff00", LONG_TIMEOUT,
                limits -> limits.sanitizeMethods().contains(SanitizeMethod.OVERWRITE));
        add(entries, ScsiOpcode.SANITIZE, ServiceActions.BLOCK_ERASE, "48a20000000000ffff00", LONG_TIMEOUT,
                limits -> limits.sanitizeMethods().contains(SanitizeMethod.BLOCK_ERASE));
        add(entries, ScsiOpcode.SANITIZE, ServiceActions.CRYPTO_ERASE, "48a30000000000ffff00", LONG_TIMEOUT,
                limits -> limits.sanitizeMethods().contains(SanitizeMethod.CRYPTO_ERASE));
        add(entries, ScsiOpcode.SANITIZE, ServiceActions.EXIT_FAILURE_MODE, "48bf0000000000ffff00", IO_TIMEOUT, always);
        add(entries, ScsiOpcode.MODE_SELECT_10, 0, "55110000000000ffff00", IO_TIMEOUT, always);
        add(entries, ScsiOpcode.RESERVE_10, 0, "56000000000000000000", IO_TIMEOUT, always);
        add(entries, ScsiOpcode.RELEASE_10, 0, "57000000000000000000", IO_TIMEOUT, always);
        add(entries, ScsiOpcode.MODE_SENSE_10, 0, "5a18ffff000000ffff00", IO_TIMEOUT, always);
        for (int sa = ServiceActions.READ_KEYS; sa <= ServiceActions.READ_FULL_STATUS; sa++) {
            String usage = String.format(Locale.ROOT, "5e%02x0000000000ffff00", sa);
            add(entries, ScsiOpcode.PERSISTENT_RESERVE_IN, sa, usage, IO_TIMEOUT, always);
        }
        for (int sa = ServiceActions.REGISTER; sa <= ServiceActions.REGISTER_AND_MOVE; sa++) {
            String usage = String.format(Locale.ROOT, "5f%02xff0000ffffffff00", sa);
            add(entries, ScsiOpcode.PERSISTENT_RESERVE_OUT, sa, usage, IO_TIMEOUT, always);
        }
        add(entries, ScsiOpcode.EXTENDED_COPY, ServiceActions.EXTENDED_COPY_LID1, "83000000000000000000ffffffff0000",
                LONG_TIMEOUT, always);
        add(entries, ScsiOpcode.RECEIVE_COPY_RESULTS, ServiceActions.COPY_STATUS, "8400ff00000000000000ffffffff0000",
                IO_TIMEOUT, always);
        add(entries, ScsiOpcode.RECEIVE_COPY_RESULTS, ServiceActions.OPERATING_PARAMETERS,
                "84030000000000000000ffffffff0000", IO_TIMEOUT, always);
        addSixteenByteBlockCommands(entries, thin, atomic);
        add(entries, ScsiOpcode.SERVICE_ACTION_IN_16, ServiceActions.READ_CAPACITY_16, "9e10ffffffffffffffffffffffff0000",
                IO_TIMEOUT, always);
        add(entries, ScsiOpcode.SERVICE_ACTION_IN_16, ServiceActions.GET_LBA_STATUS, "9e12ffffffffffffffffffffffff0000",
                IO_TIMEOUT, thin);
        add(entries, ScsiOpcode.REPORT_LUNS, 0, "a00003000000ffffffff0000", IO_TIMEOUT, always);
        add(entries, ScsiOpcode.MAINTENANCE_IN, ServiceActions.REPORT_TARGET_PORT_GROUPS, "a32a00000000ffffffff0000",
                IO_TIMEOUT, always);
        add(entries, ScsiOpcode.MAINTENANCE_IN, ServiceActions.REPORT_SUPPORTED_OPERATION_CODES,
                "a30c87ffffffffffffff0000", IO_TIMEOUT, always);
        add(entries, ScsiOpcode.MAINTENANCE_IN, ServiceActions.REPORT_SUPPORTED_TASK_MANAGEMENT_FUNCTIONS,
                "a30d80000000ffffffff0000", IO_TIMEOUT, always);
        add(entries, ScsiOpcode.READ_12, 0, "a81affffffffffffffff1f00", IO_TIMEOUT, always);
        add(entries, ScsiOpcode.WRITE_12, 0, "aa1affffffffffffffff1f00", IO_TIMEOUT, always);
        add(entries, ScsiOpcode.WRITE_AND_VERIFY_12, 0, "ae12ffffffffffffffff1f00", IO_TIMEOUT, always);
        add(entries, ScsiOpcode.VERIFY_12, 0, "af16ffffffffffffffff1f00", IO_TIMEOUT, always);
        add(entries, ScsiOpcode.READ_DEFECT_DATA_12, 0, "b71fffffffffffffffff0000",
                IO_TIMEOUT, always);
        return List.copyOf(entries);
    }

    private static void addSixteenByteBlockCommands(List<Entry> entries, Predicate<DeviceLimits> thin,
                                                    Predicate<DeviceLimits> atomic) {
        Predicate<DeviceLimits> always = limits -> true;
        add(entries, ScsiOpcode.READ_16, 0, "881affffffffffffffffffffffff1f00", IO_TIMEOUT, always);
        add(entries, ScsiOpcode.COMPARE_AND_WRITE, 0, "891affffffffffffffff000000ff1f00", IO_TIMEOUT, always);
        add(entries, ScsiOpcode.WRITE_16, 0, "8a1affffffffffffffffffffffff1f00", IO_TIMEOUT, always);
        add(entries, ScsiOpcode.ORWRITE_16, 0, "8b1affffffffffffffffffffffff1f00", IO_TIMEOUT, always);
        add(entries, ScsiOpcode.WRITE_AND_VERIFY_16, 0, "8e12ffffffffffffffffffffffff1f00", IO_TIMEOUT, always);
        add(entries, ScsiOpcode.VERIFY_16, 0, "8f16ffffffffffffffffffffffff1f00", IO_TIMEOUT, always);
        add(entries, ScsiOpcode.PRE_FETCH_16, 0, "9002ffffffffffffffffffffffff1f00", IO_TIMEOUT, always);
        add(entries, ScsiOpcode.SYNCHRONIZE_CACHE_16, 0, "9106ffffffffffffffffffffffff1f00", IO_TIMEOUT, always);
        add(entries, ScsiOpcode.WRITE_SAME_16, 0, "9309ffffffffffffffffffffffff1f00", LONG_TIMEOUT, thin);
        add(entries, ScsiOpcode.WRITE_SAME_16, 0, "9301ffffffffffffffffffffffff1f00", LONG_TIMEOUT, thin.negate());
        add(entries, ScsiOpcode.WRITE_ATOMIC_16, 0, "9c18ffffffffffffffff0000ffff1f00", IO_TIMEOUT, atomic);
    }

    private static void add(List<Entry> entries, ScsiOpcode opcode, int serviceAction, String usageHex, int timeout,
                            Predicate<DeviceLimits> offered) {
        byte[] usage = HexFormat.of().parseHex(usageHex);
        if (usage.length != opcode.cdbLength()) {
            throw new AssertionError("usage data of " + opcode + " has " + usage.length + " bytes");
        }
        entries.add(new Entry(opcode, serviceAction, usage, timeout, offered));
    }
}
