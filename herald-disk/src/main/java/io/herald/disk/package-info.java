/**
 * The disk engine (RocksDB): one node whose persisted channels, nonces and revocations survive a restart or a crash.
 * Delivery, presence, connections and ordinary channels are the in-memory engine's; the log and serials of persisted
 * channels, the ids of the idempotency window, nonces and revocations are in a RocksDB store written through one
 * group-committing writer. {@link io.herald.disk.DiskEngine} is the entry point, {@link io.herald.disk.Layout}
 * documents the data layout, {@link io.herald.disk.DiskBackup} takes consistent copies.
 */
package io.herald.disk;
