/**
 * The appliance's metrics: Micrometer meters bound to the iSCSI transport, the logical units,
 * the pools, disks, volumes and cleaner of the volume manager, exposed in the Prometheus text
 * format at {@code GET /metrics}. Names and units are listed in {@code docs/metrics.md}.
 */
package dev.quarry.appliance.metrics;
