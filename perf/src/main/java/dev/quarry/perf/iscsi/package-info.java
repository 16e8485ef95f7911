/** JMH benchmarks of the iSCSI transport's hot paths: PDU decode and encode, CRC32C digests. */
package dev.quarry.perf.iscsi;
