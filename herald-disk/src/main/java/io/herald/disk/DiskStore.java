package io.herald.disk;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.CompressionType;
import org.rocksdb.DBOptions;
import org.rocksdb.Env;
import org.rocksdb.InfoLogLevel;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.SstFileManager;
import org.rocksdb.TtlDB;
import org.rocksdb.WriteOptions;

/**
 * The RocksDB database of one node: opened with a per-column-family TTL (expired entries are dropped by compaction,
 * see {@link Layout}), a clean-shutdown marker, and the machine's boot id, so an unclean stop after which acknowledged
 * writes may be missing (a power loss with {@code fsync} not {@code always}) is recognised at the next start.
 */
final class DiskStore implements AutoCloseable {
    static final String[] FAMILIES = {"default", "channels", "events", "ids", "nonces", "revocations", "objects"};
    static final byte[] STATE = "state".getBytes(StandardCharsets.UTF_8);
    /** The state of a copy made by {@link DiskBackup}. */
    static final byte[] RESTORED = "restored".getBytes(StandardCharsets.UTF_8);

    private static final byte[] BOOT = "boot".getBytes(StandardCharsets.UTF_8);

    static {
        RocksDB.loadLibrary();
    }

    final Path dir;
    final TtlDB db;
    final ColumnFamilyHandle meta;
    final ColumnFamilyHandle channels;
    final ColumnFamilyHandle events;
    final ColumnFamilyHandle ids;
    final ColumnFamilyHandle nonces;
    final ColumnFamilyHandle revocations;
    final ColumnFamilyHandle objects;
    /**
     * Whether acknowledged writes may be missing: the last stop was unclean and the machine rebooted since (with
     * {@code fsync} not {@code always}), or the store is a restored backup.
     */
    final boolean mayHaveLostWrites;

    private final DBOptions options;
    private final ColumnFamilyOptions cfOptions;
    private final SstFileManager files;
    private final List<ColumnFamilyHandle> handles;

    /**
     * Opens (or creates) the store.
     *
     * @param ttlSeconds TTL of each family of {@link #FAMILIES}, 0 for none
     * @throws IllegalStateException saying why and what to do when the directory cannot be used
     */
    DiskStore(Path dir, int[] ttlSeconds, boolean fsyncAlways) {
        this.dir = dir;
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new IllegalStateException(
                    "cannot create the data directory " + dir + ": " + e
                            + ". Choose a writable directory with --data-dir.",
                    e);
        }
        try {
            files = new SstFileManager(Env.getDefault());
        } catch (RocksDBException e) {
            throw new IllegalStateException("cannot start RocksDB: " + e.getMessage(), e);
        }
        options = new DBOptions()
                .setCreateIfMissing(true)
                .setCreateMissingColumnFamilies(true)
                .setInfoLogLevel(InfoLogLevel.WARN_LEVEL)
                .setKeepLogFileNum(2)
                .setMaxLogFileSize(1 << 20)
                .setMaxTotalWalSize(64L << 20)
                .setSstFileManager(files);
        cfOptions = new ColumnFamilyOptions()
                .setWriteBufferSize(16L << 20)
                .setCompressionType(CompressionType.LZ4_COMPRESSION)
                .setPeriodicCompactionSeconds(6 * 3600);
        List<ColumnFamilyDescriptor> descriptors = new ArrayList<>();
        List<Integer> ttls = new ArrayList<>();
        for (int i = 0; i < FAMILIES.length; i++) {
            descriptors.add(new ColumnFamilyDescriptor(FAMILIES[i].getBytes(StandardCharsets.UTF_8), cfOptions));
            ttls.add(ttlSeconds[i]);
        }
        handles = new ArrayList<>();
        try {
            db = TtlDB.open(options, dir.toString(), descriptors, handles, ttls, false);
        } catch (RocksDBException e) {
            closeOptions();
            throw new IllegalStateException(explainOpenFailure(dir, e), e);
        }
        meta = handles.get(0);
        channels = handles.get(1);
        events = handles.get(2);
        ids = handles.get(3);
        nonces = handles.get(4);
        revocations = handles.get(5);
        objects = handles.get(6);
        try {
            byte[] state = db.get(meta, STATE);
            byte[] boot = db.get(meta, BOOT);
            String bootNow = bootId();
            boolean unclean = state != null && !"clean".equals(new String(state, StandardCharsets.UTF_8));
            boolean rebooted =
                    bootNow == null || boot == null || !bootNow.equals(new String(boot, StandardCharsets.UTF_8));
            boolean restored = state != null && Arrays.equals(state, RESTORED);
            mayHaveLostWrites = restored || (unclean && rebooted && !fsyncAlways);
            try (WriteOptions sync = new WriteOptions().setSync(true)) {
                db.put(meta, sync, STATE, "open".getBytes(StandardCharsets.UTF_8));
                if (bootNow != null) {
                    db.put(meta, sync, BOOT, bootNow.getBytes(StandardCharsets.UTF_8));
                }
            }
        } catch (RocksDBException e) {
            close();
            throw new IllegalStateException(
                    "the store in " + dir + " cannot be written: " + e.getMessage()
                            + ". Check free space and permissions of the directory.",
                    e);
        }
    }

    static String explainOpenFailure(Path dir, RocksDBException e) {
        String m = String.valueOf(e.getMessage());
        if (m.contains("LOCK") || m.contains("lock")) {
            return "the data directory " + dir + " is in use by another Herald process (its RocksDB LOCK is held: "
                    + m + "). Stop that process, or give this node its own --data-dir. To copy the data of the "
                    + "running node, use: herald backup --data-dir " + dir + " --out DIR";
        }
        if (m.contains("Corruption") || m.contains("corrupt")) {
            return "the store in " + dir + " is damaged (" + m + "). Nothing was changed. Restore the latest backup "
                    + "(herald backup --out DIR made it) and start with --data-dir DIR, or move " + dir
                    + " aside to start with an empty store.";
        }
        return "cannot open the store in " + dir + " (" + m + "). Check that the directory is writable and has "
                + "free space; move it aside to start with an empty store.";
    }

    /** The machine's boot id (changes at every boot), or {@code null} where there is none. */
    static @Nullable String bootId() {
        try {
            return Files.readString(Path.of("/proc/sys/kernel/random/boot_id")).trim();
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** Bytes the directory holds now (SST files, write-ahead log, manifest). */
    long diskBytes() {
        try (Stream<Path> s = Files.list(dir)) {
            return s.mapToLong(p -> {
                        try {
                            return Files.isRegularFile(p) ? Files.size(p) : 0;
                        } catch (IOException e) {
                            return 0; // deleted by a compaction while listing
                        }
                    })
                    .sum();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Forces the write-ahead log to the device. */
    void syncWal() throws RocksDBException {
        db.syncWal();
    }

    /** Marks a clean stop (everything synced) and closes. */
    void closeClean() {
        try (WriteOptions sync = new WriteOptions().setSync(true)) {
            db.syncWal();
            db.put(meta, sync, STATE, "clean".getBytes(StandardCharsets.UTF_8));
        } catch (RocksDBException e) {
            // left marked open: the next start treats the stop as unclean, which is the safe side
        }
        close();
    }

    @Override
    public void close() {
        for (ColumnFamilyHandle h : handles) {
            h.close();
        }
        db.close();
        closeOptions();
    }

    private void closeOptions() {
        options.close();
        cfOptions.close();
        files.close();
    }
}
