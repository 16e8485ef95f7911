/** JMH benchmarks of the volume manager's hot paths: the block map in RocksDB, the chunk write and read path. */
package dev.quarry.perf.volume;
