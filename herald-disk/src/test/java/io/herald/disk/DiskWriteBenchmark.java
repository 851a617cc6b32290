package io.herald.disk;

import static io.herald.core.testing.TestEvents.messages;

import io.herald.core.config.CoreConfig;
import io.herald.core.config.Limits;
import io.herald.core.config.Timings;
import io.herald.core.engine.ChannelEvent;
import io.herald.core.engine.ChannelId;
import io.herald.core.engine.EngineContext;
import io.herald.core.engine.EngineListener;
import io.herald.core.engine.PublishRequest;
import io.herald.core.engine.Revocation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/**
 * The figures of docs/durability.md, a plain timing harness (not a test): (1) the disk engine's publish throughput
 * and latency with concurrent publishers at each fsync setting, with the group commit's batch size; (2) the raw write
 * rate of RocksDB and H2's MVStore for the same records, one record per durable write and 64 per write. Run:
 * {@code java -cp <test class path> io.herald.disk.DiskWriteBenchmark [seconds] [dir]}.
 */
public final class DiskWriteBenchmark {
    private static final byte[] VALUE = new byte[240];

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        Path base = args.length > 1 ? Path.of(args[1]) : Files.createTempDirectory("herald-bench-");
        ThreadLocalRandom.current().nextBytes(VALUE);
        System.out.println("## disk engine, 32 publishers on 32 persisted channels, " + seconds + " s each");
        for (String fsync : List.of("always", "interval", "never")) {
            engine(base.resolve("engine-" + fsync), fsync, 32, seconds);
        }
        System.out.println("## raw stores, 240-byte records, " + seconds + " s each");
        for (int batch : new int[] {1, 64}) {
            rocks(base.resolve("rocks-sync-" + batch), true, batch, seconds);
            rocks(base.resolve("rocks-nosync-" + batch), false, batch, seconds);
            mvstore(base.resolve("mv-sync-" + batch), true, batch, seconds);
            mvstore(base.resolve("mv-nosync-" + batch), false, batch, seconds);
        }
    }

    private static void engine(Path dir, String fsync, int publishers, int seconds) throws Exception {
        CoreConfig config = new CoreConfig("bench", Limits.DEFAULTS, Timings.DEFAULTS, false, List.of());
        DiskEngine engine = new DiskEngine(new EngineContext(
                config,
                Clock.systemUTC(),
                "bench",
                Map.of(DiskSettings.DATA_DIR, dir.toString(), DiskSettings.FSYNC, fsync)));
        engine.start(new EngineListener() {
            @Override
            public void onChannelEvent(ChannelEvent event) {}

            @Override
            public void onRevocation(Revocation revocation) {}
        });
        AtomicBoolean running = new AtomicBoolean(true);
        List<long[]> latencies = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < publishers; t++) {
            ChannelId ch = new ChannelId("bench", "persisted:ch" + t);
            long[] lat = new long[2_000_000];
            latencies.add(lat);
            Thread th = new Thread(() -> {
                int n = 0;
                while (running.get() && n < lat.length - 1) {
                    long start = System.nanoTime();
                    try {
                        engine.publish(new PublishRequest(
                                        ch,
                                        messages(ch.name(), "payload of a chat message " + n),
                                        Timings.DEFAULTS.persistedRetention(),
                                        false))
                                .toCompletableFuture()
                                .get();
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                    lat[++n] = System.nanoTime() - start;
                    lat[0] = n;
                }
            });
            threads.add(th);
        }
        long[] before = engine.commitCounts();
        long start = System.nanoTime();
        threads.forEach(Thread::start);
        Thread.sleep(TimeUnit.SECONDS.toMillis(seconds));
        running.set(false);
        for (Thread th : threads) {
            th.join();
        }
        double secs = (System.nanoTime() - start) / 1e9;
        long[] after = engine.commitCounts();
        engine.close();
        int total = 0;
        for (long[] l : latencies) {
            total += (int) l[0];
        }
        long[] all = new long[total];
        int k = 0;
        for (long[] l : latencies) {
            System.arraycopy(l, 1, all, k, (int) l[0]);
            k += (int) l[0];
        }
        Arrays.sort(all);
        long batches = after[0] - before[0];
        System.out.printf(
                Locale.ROOT,
                "fsync %-8s %9.0f publishes/s  p50 %6.2f ms  p99 %6.2f ms  %7.1f writes per " + "group commit%n",
                fsync,
                total / secs,
                all[total / 2] / 1e6,
                all[(int) (total * 0.99)] / 1e6,
                batches == 0 ? 0.0 : (after[1] - before[1]) / (double) batches);
    }

    private static void rocks(Path dir, boolean sync, int batch, int seconds) throws Exception {
        try (Options o = new Options().setCreateIfMissing(true);
                RocksDB db = RocksDB.open(o, dir.toString());
                WriteOptions w = new WriteOptions().setSync(sync)) {
            long records = 0;
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
            long start = System.nanoTime();
            while (System.nanoTime() < end) {
                try (WriteBatch wb = new WriteBatch()) {
                    for (int i = 0; i < batch; i++) {
                        wb.put(key(records++), VALUE);
                    }
                    db.write(w, wb);
                }
            }
            report("RocksDB", sync ? "WAL fsync per write" : "WAL, no fsync", batch, records, start);
        }
    }

    private static void mvstore(Path dir, boolean sync, int batch, int seconds) throws Exception {
        Files.createDirectories(dir);
        MVStore store = new MVStore.Builder()
                .fileName(dir.resolve("store.mv").toString())
                .autoCommitDisabled()
                .open();
        try {
            MVMap<byte[], byte[]> map = store.openMap("events");
            long records = 0;
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
            long start = System.nanoTime();
            while (System.nanoTime() < end) {
                for (int i = 0; i < batch; i++) {
                    map.put(key(records++), VALUE);
                }
                store.commit();
                if (sync) {
                    store.sync();
                }
            }
            report("MVStore", sync ? "commit + fsync per write" : "commit, no fsync", batch, records, start);
        } finally {
            store.close();
        }
    }

    private static byte[] key(long n) {
        return java.nio.ByteBuffer.allocate(16).putLong(n % 32).putLong(n).array();
    }

    private static void report(String store, String mode, int batch, long records, long startNanos) {
        double secs = (System.nanoTime() - startNanos) / 1e9;
        System.out.printf(
                Locale.ROOT, "%-8s %-26s %3d per write  %10.0f records/s%n", store, mode, batch, records / secs);
    }
}
