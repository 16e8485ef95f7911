/**
 * Backend disks that are not local files: {@link dev.quarry.appliance.disk.IscsiDiskOpener} opens
 * LUNs of other arrays ({@code iscsi://} locators, {@link dev.quarry.appliance.disk.IscsiLocator})
 * through the iSCSI initiator for the volume manager's pools, with CHAP secrets kept out of disk
 * records in {@link dev.quarry.appliance.disk.ChapSecrets}.
 */
package dev.quarry.appliance.disk;
