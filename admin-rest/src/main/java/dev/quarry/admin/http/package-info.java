/**
 * The admin HTTP API on Netty's HTTP codec: a route table, JSON bodies through Jackson, and
 * errors as RFC 9457 problem details. Handlers run on a bounded worker pool, never on the event
 * loop, because they call services that touch RocksDB and disks.
 */
package dev.quarry.admin.http;
