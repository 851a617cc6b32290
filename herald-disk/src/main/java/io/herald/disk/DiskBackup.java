package io.herald.disk;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.DBOptions;
import org.rocksdb.InfoLogLevel;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/**
 * A consistent copy of a data directory, taken while a node runs on it or not: a RocksDB secondary instance catches up
 * with the running node's files and write-ahead log (one point in time, without stopping or locking the node), and
 * every entry is copied as stored into a new store. (A RocksDB Checkpoint of the secondary would miss what is only in
 * the primary's write-ahead log; a Checkpoint of the primary needs the primary's process.) The copy is a complete
 * data directory: start a node with {@code --data-dir} pointing at it to restore. It is marked as restored, so its
 * channels start new epochs: clients holding serials from after the backup are told continuity was lost.
 */
public final class DiskBackup {
    static {
        RocksDB.loadLibrary();
    }

    private DiskBackup() {}

    /**
     * Copies {@code dataDir} to {@code out}, which must not exist yet.
     *
     * @throws IllegalArgumentException when the source is not a store or the target exists
     * @throws IllegalStateException    when RocksDB fails, with its reason
     */
    public static void create(Path dataDir, Path out) {
        if (!Files.isRegularFile(dataDir.resolve("CURRENT"))) {
            throw new IllegalArgumentException(dataDir + " is not a Herald data directory (no RocksDB CURRENT file)");
        }
        if (Files.exists(out)) {
            throw new IllegalArgumentException(out + " already exists: give a new directory for the backup");
        }
        Path secondary;
        try {
            secondary = Files.createTempDirectory("herald-backup-");
        } catch (IOException e) {
            throw new IllegalStateException("cannot create a temporary directory: " + e, e);
        }
        List<ColumnFamilyDescriptor> descriptors = new ArrayList<>();
        for (String f : existingFamilies(dataDir)) {
            descriptors.add(new ColumnFamilyDescriptor(f.getBytes(StandardCharsets.UTF_8)));
        }
        List<ColumnFamilyHandle> handles = new ArrayList<>();
        List<ColumnFamilyHandle> outHandles = new ArrayList<>();
        try (DBOptions options =
                        new DBOptions().setInfoLogLevel(InfoLogLevel.WARN_LEVEL).setMaxOpenFiles(-1);
                DBOptions outOptions = new DBOptions()
                        .setCreateIfMissing(true)
                        .setCreateMissingColumnFamilies(true)
                        .setInfoLogLevel(InfoLogLevel.WARN_LEVEL);
                RocksDB db = RocksDB.openAsSecondary(
                        options, dataDir.toString(), secondary.toString(), descriptors, handles);
                RocksDB copy = RocksDB.open(outOptions, out.toString(), descriptors, outHandles)) {
            try {
                db.tryCatchUpWithPrimary();
                for (int i = 0; i < handles.size(); i++) {
                    copyFamily(db, handles.get(i), copy, outHandles.get(i));
                }
                copy.put(outHandles.get(0), DiskStore.STATE, withTtlTimestamp(DiskStore.RESTORED));
                copy.flush(new org.rocksdb.FlushOptions().setWaitForFlush(true), outHandles);
            } finally {
                handles.forEach(ColumnFamilyHandle::close);
                outHandles.forEach(ColumnFamilyHandle::close);
            }
        } catch (RocksDBException e) {
            throw new IllegalStateException("backup of " + dataDir + " failed: " + e.getMessage(), e);
        } finally {
            deleteTree(secondary);
        }
    }

    /**
     * The families of {@link DiskStore#FAMILIES} the store has: one written by an older Herald may lack the newer ones
     * (e.g. {@code objects}), which the next start creates.
     */
    private static List<String> existingFamilies(Path dataDir) {
        List<String> out = new ArrayList<>();
        try (org.rocksdb.Options o = new org.rocksdb.Options()) {
            List<String> present = new ArrayList<>();
            for (byte[] f : RocksDB.listColumnFamilies(o, dataDir.toString())) {
                present.add(new String(f, StandardCharsets.UTF_8));
            }
            for (String f : DiskStore.FAMILIES) {
                if (present.contains(f)) {
                    out.add(f);
                }
            }
        } catch (RocksDBException e) {
            throw new IllegalStateException("cannot read the column families of " + dataDir + ": " + e.getMessage(), e);
        }
        return out;
    }

    /** A value as the TTL store writes it: followed by its write time (seconds, 4 bytes little-endian). */
    private static byte[] withTtlTimestamp(byte[] value) {
        return java.nio.ByteBuffer.allocate(value.length + 4)
                .order(java.nio.ByteOrder.LITTLE_ENDIAN)
                .put(value)
                .putInt((int) (System.currentTimeMillis() / 1000))
                .array();
    }

    /** Copies every entry as stored (values keep their TTL timestamps), in batches. */
    private static void copyFamily(RocksDB from, ColumnFamilyHandle source, RocksDB to, ColumnFamilyHandle target)
            throws RocksDBException {
        try (RocksIterator it = from.newIterator(source);
                WriteOptions w = new WriteOptions()) {
            WriteBatch batch = new WriteBatch();
            try {
                for (it.seekToFirst(); it.isValid(); it.next()) {
                    batch.put(target, it.key(), it.value());
                    if (batch.getDataSize() > (4 << 20)) {
                        to.write(w, batch);
                        batch.close();
                        batch = new WriteBatch();
                    }
                }
                to.write(w, batch);
            } finally {
                batch.close();
            }
        }
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temporary directory left behind
        }
    }
}
