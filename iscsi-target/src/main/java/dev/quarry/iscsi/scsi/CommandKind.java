package dev.quarry.iscsi.scsi;

/**
 * How a command counts in the per-LUN metrics: a data read (READ 6/10/12/16), a data write
 * (WRITE 6/10/12/16, WRITE AND VERIFY 10/12/16) or anything else (including COMPARE AND WRITE,
 * WRITE SAME, UNMAP, SYNCHRONIZE CACHE and the inquiry family, whose payload is not host data
 * moved one to one).
 *
 * <p>Immutable and thread-safe; {@link #of(int)} is a table lookup that allocates nothing.
 */
public enum CommandKind {
    READ, WRITE, OTHER;

    private static final CommandKind[] BY_OPCODE = new CommandKind[256];

    static {
        java.util.Arrays.fill(BY_OPCODE, OTHER);
        for (ScsiOpcode op : new ScsiOpcode[] {ScsiOpcode.READ_6, ScsiOpcode.READ_10, ScsiOpcode.READ_12,
                ScsiOpcode.READ_16}) {
            BY_OPCODE[op.code()] = READ;
        }
        for (ScsiOpcode op : new ScsiOpcode[] {ScsiOpcode.WRITE_6, ScsiOpcode.WRITE_10, ScsiOpcode.WRITE_12,
                ScsiOpcode.WRITE_16, ScsiOpcode.WRITE_AND_VERIFY_10, ScsiOpcode.WRITE_AND_VERIFY_12,
                ScsiOpcode.WRITE_AND_VERIFY_16}) {
            BY_OPCODE[op.code()] = WRITE;
        }
    }

    /** The kind of the command with operation code {@code opcode} (byte 0 of its CDB; -1 for none). */
    public static CommandKind of(int opcode) {
        return opcode < 0 || opcode > 0xFF ? OTHER : BY_OPCODE[opcode];
    }
}
