/**
 * The iSCSI target server the appliance starts: {@link dev.quarry.iscsi.server.IscsiServer} with
 * its {@link dev.quarry.iscsi.server.IscsiServerConfig}, the runtime-changeable
 * {@link dev.quarry.iscsi.server.TargetRegistry} of {@link dev.quarry.iscsi.server.TargetEntry}s
 * (name, alias, SCSI target, {@link dev.quarry.iscsi.server.AccessPolicy}, CHAP), each connection's
 * pipeline and its last handler, and the {@link dev.quarry.iscsi.server.TransportMetrics} hook.
 */
package dev.quarry.iscsi.server;
