package io.herald.disk;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.rocksdb.Checkpoint;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.DBOptions;
import org.rocksdb.InfoLogLevel;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;

/**
 * A consistent copy of a data directory, taken while a node runs on it or not: a RocksDB {@link Checkpoint} (hard
 * links of the immutable table files plus a copy of the live log, as of one point in time) of a secondary instance
 * that has caught up with the running node's write-ahead log. The copy is a complete data directory: start a node
 * with {@code --data-dir} pointing at it to restore.
 */
public final class DiskBackup {
    static {
        RocksDB.loadLibrary();
    }

    private DiskBackup() {
    }

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
        for (String f : DiskStore.FAMILIES) {
            descriptors.add(new ColumnFamilyDescriptor(f.getBytes(StandardCharsets.UTF_8)));
        }
        List<ColumnFamilyHandle> handles = new ArrayList<>();
        try (DBOptions options = new DBOptions().setInfoLogLevel(InfoLogLevel.WARN_LEVEL).setMaxOpenFiles(-1);
             RocksDB db = RocksDB.openAsSecondary(options, dataDir.toString(), secondary.toString(), descriptors,
                     handles)) {
            db.tryCatchUpWithPrimary();
            try (Checkpoint checkpoint = Checkpoint.create(db)) {
                checkpoint.createCheckpoint(out.toString());
            } finally {
                handles.forEach(ColumnFamilyHandle::close);
            }
        } catch (RocksDBException e) {
            throw new IllegalStateException("backup of " + dataDir + " failed: " + e.getMessage(), e);
        } finally {
            deleteTree(secondary);
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
