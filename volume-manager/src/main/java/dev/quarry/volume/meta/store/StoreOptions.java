package dev.quarry.volume.meta.store;

import dev.quarry.volume.meta.schema.BlockMapKey;
import dev.quarry.volume.meta.schema.ColumnFamilyDefinition;
import java.util.ArrayList;
import java.util.List;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.BloomFilter;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.CompressionType;
import org.rocksdb.DBOptions;
import org.rocksdb.InfoLogLevel;
import org.rocksdb.LRUCache;
import org.rocksdb.WriteBufferManager;

/**
 * Builds the RocksDB options of the metadata store and owns the native objects behind them until
 * {@link #close()}. Tuning (measured in docs/chunk-store.md): one shared LRU block cache with index
 * and filter blocks charged to it, memtables bounded by a write-buffer manager charged to it too,
 * ZSTD on every level of the large families (per-level and bottommost settings were measured
 * not to take effect through rocksdbjni 10.10 here, and metadata is written at a few MB/s, far
 * below ZSTD's speed), 16 KiB blocks, a 4-byte (volume id) prefix extractor and bloom filters on the block map
 * only (skipped on its last level: optimize_filters_for_hits), since chunk and counter lookups
 * always hit.
 *
 * <p>Not thread-safe; built and closed by {@link MetadataStore} only.
 */
final class StoreOptions implements AutoCloseable {

    private static final int BLOCK_SIZE = 16 << 10;

    private final LRUCache cache;
    private final WriteBufferManager writeBuffers;
    private final BloomFilter bloom;
    private final DBOptions dbOptions;
    private final List<ColumnFamilyOptions> familyOptions = new ArrayList<>();

    StoreOptions(StoreConfig config) {
        this.cache = new LRUCache(config.blockCacheBytes());
        this.writeBuffers = new WriteBufferManager(config.writeBufferBytes(), cache);
        this.bloom = new BloomFilter(10);
        this.dbOptions = new DBOptions()
                .setCreateIfMissing(true)
                .setCreateMissingColumnFamilies(true)
                .setMaxBackgroundJobs(config.backgroundJobs())
                .setWriteBufferManager(writeBuffers)
                .setBytesPerSync(1 << 20)
                .setKeepLogFileNum(4)
                .setMaxTotalWalSize(256L << 20)
                .setInfoLogLevel(InfoLogLevel.WARN_LEVEL);
    }

    DBOptions dbOptions() {
        return dbOptions;
    }

    /** Options for one family; owned here and closed with the rest. */
    ColumnFamilyOptions familyOptions(ColumnFamilyDefinition.Profile profile, long writeBufferBytes) {
        ColumnFamilyOptions options = new ColumnFamilyOptions();
        familyOptions.add(options);
        BlockBasedTableConfig table = new BlockBasedTableConfig()
                .setBlockCache(cache)
                .setBlockSize(BLOCK_SIZE)
                .setCacheIndexAndFilterBlocks(true)
                .setPinL0FilterAndIndexBlocksInCache(true);
        options.setLevelCompactionDynamicLevelBytes(true);
        if (profile == ColumnFamilyDefinition.Profile.SMALL) {
            options.setWriteBufferSize(Math.max(1 << 20, writeBufferBytes / 16));
            options.setTableFormatConfig(table);
            return options;
        }
        options.setWriteBufferSize(Math.max(4 << 20, writeBufferBytes / 4));
        options.setCompressionType(CompressionType.ZSTD_COMPRESSION);
        if (profile == ColumnFamilyDefinition.Profile.BLOCK_MAP) {
            options.useFixedLengthPrefixExtractor(BlockMapKey.PREFIX);
            table.setFilterPolicy(bloom);
            options.setOptimizeFiltersForHits(true);
        }
        if (profile == ColumnFamilyDefinition.Profile.COUNTER) {
            options.setMergeOperatorName("uint64add");
        }
        options.setTableFormatConfig(table);
        return options;
    }

    /**
     * Closes the options after the database that used them: family options, then database
     * options, then the write-buffer manager, the filter and last the cache they all charge.
     */
    @Override
    public void close() {
        familyOptions.forEach(ColumnFamilyOptions::close);
        familyOptions.clear();
        dbOptions.close();
        writeBuffers.close();
        bloom.close();
        cache.close();
    }
}
