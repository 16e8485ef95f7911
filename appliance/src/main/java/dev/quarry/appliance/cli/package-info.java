/**
 * The {@code quarry} commands that drive a running appliance through its REST API: pools, disks,
 * volumes, targets, LUNs, portals, sessions, jobs. Human-readable tables by default, {@code --json}
 * everywhere, confirmation before anything destructive, {@code --wait} with a progress bar for
 * jobs, and exit codes scripts can rely on ({@link dev.quarry.appliance.ExitCodes}).
 */
package dev.quarry.appliance.cli;
