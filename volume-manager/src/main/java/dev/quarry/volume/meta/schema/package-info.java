/**
 * Column families, key records and value codecs of the metadata store: fixed-width big-endian keys, a version byte first in each value.
 */
package dev.quarry.volume.meta.schema;
