/**
 * The metadata store: RocksDB column families ({@code schema}) and the store that owns RocksDB ({@code store}).
 */
package dev.quarry.volume.meta;
