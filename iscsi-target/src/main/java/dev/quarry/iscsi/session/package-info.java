/**
 * Full feature phase of RFC 7143 at ErrorRecoveryLevel 0, one connection per session: connection
 * states (§8.1), the CmdSN window in RFC 1982 arithmetic with queue-depth backpressure, ordering
 * of requests by CmdSN, Data-Out collection and R2Ts, Data-In and SCSI responses, task management,
 * NOP, text requests, logout, asynchronous messages, and the registry of live sessions (TSIH,
 * reinstatement). Everything but {@link dev.quarry.iscsi.session.SessionRegistry} is confined to
 * the connection's event loop; results of the SCSI layer hop back through the channel's executor.
 */
package dev.quarry.iscsi.session;
