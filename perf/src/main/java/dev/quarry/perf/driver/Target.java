package dev.quarry.perf.driver;

/**
 * One iSCSI target under test: a LUN URL for the initiators and the process whose CPU time is
 * charged to it.
 *
 * <p>Implementations are not thread-safe; the driver's one thread uses them.
 */
interface Target extends AutoCloseable {

    /** Short name for the table. */
    String name();

    /** {@code iscsi://127.0.0.1:<port>/<iqn>/<lun>}. */
    String url();

    /** The PID of the serving process. */
    long pid();

    /** Stops the target (by its PID) and waits for it. */
    @Override
    void close();
}
