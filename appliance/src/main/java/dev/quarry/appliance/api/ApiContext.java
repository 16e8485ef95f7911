package dev.quarry.appliance.api;

import dev.quarry.appliance.disk.IscsiDiskOpener;
import dev.quarry.appliance.target.TargetManager;
import dev.quarry.iscsi.server.IscsiServer;
import dev.quarry.volume.VolumeManager;
import java.util.Optional;

/**
 * What the REST resources act on: the volume manager, the targets, the iSCSI server (portals and
 * sessions), the jobs started through the API, the stored extra portals, and the opener of remote
 * (iscsi://) disks when the appliance has one.
 *
 * <p>Immutable; every part is thread-safe.
 */
public record ApiContext(VolumeManager volumes, TargetManager targets, IscsiServer iscsi, JobRegistry jobs,
                         PortalStore portals, Optional<IscsiDiskOpener> remoteDisks) {
}
