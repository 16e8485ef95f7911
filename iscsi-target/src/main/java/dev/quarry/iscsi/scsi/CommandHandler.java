package dev.quarry.iscsi.scsi;

import java.util.concurrent.CompletionStage;

/**
 * Executes the commands of one family (STYLE B4). Runs on the thread that submitted or unblocked
 * the command, or on a volume thread; never blocks.
 *
 * <p>Implementations are thread-safe and keep no per-command state outside the context.
 */
interface CommandHandler {

    /**
     * Executes the command in {@code context}. Failures are thrown or complete the stage
     * exceptionally with {@link ScsiCommandException} or a volume's
     * {@link dev.quarry.block.BlockIoException}. The handler borrows the Data-Out; volume calls
     * that take ownership receive retained slices of it.
     */
    CompletionStage<ScsiResult> execute(CommandContext context);
}
