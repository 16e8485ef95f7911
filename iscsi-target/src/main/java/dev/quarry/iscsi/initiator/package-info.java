/**
 * A small iSCSI initiator (RFC 7143, ErrorRecoveryLevel 0) that presents a LUN of another array as
 * a {@link dev.quarry.block.BlockDevice}: {@link dev.quarry.iscsi.initiator.IscsiInitiator} opens
 * {@link dev.quarry.iscsi.initiator.RemoteLun}s, one session each, with login (None or CHAP, one-way
 * or mutual), operational negotiation, the CmdSN window, R2T and Data-Out, Data-In reassembly, NOP
 * keepalive, asynchronous messages, and session recovery by reinstatement. It reuses the module's
 * PDU records and wire layouts, its frame decoder, and its text and CHAP pieces.
 *
 * <p>Each session is confined to one event loop; callers' futures complete on a completion
 * executor. Buffer ownership follows block-api's rules. The failure model is in
 * docs/iscsi-initiator.md.
 */
package dev.quarry.iscsi.initiator;
