package io.herald.disk;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.jspecify.annotations.Nullable;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One writer thread that turns every write queued while the previous one was in progress into one RocksDB
 * {@link WriteBatch}: one write-ahead-log append (and, with {@code fsync: always}, one fsync) for all of them. Writes
 * are applied and then completed in the order they were queued, so a channel's events, queued under its lock, are
 * stored and delivered in serial order. A failed batch fails each of its writes; nothing of it is stored (a RocksDB
 * write batch is atomic).
 */
final class GroupCommit implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(GroupCommit.class);
    private static final int MAX_BATCH = 4096;

    /** One write: what it puts in the batch, and what happens once the batch is stored or has failed. */
    interface Write {
        void fill(WriteBatch batch) throws RocksDBException;

        void committed();

        void failed(RocksDBException e);
    }

    private final DiskStore store;
    private final WriteOptions writeOptions;
    private final LinkedBlockingQueue<Write> queue = new LinkedBlockingQueue<>();
    private final Thread thread;
    private final LongAdder batches = new LongAdder();
    private final LongAdder writes = new LongAdder();
    private volatile boolean running = true;
    /** The first write failure's reason: RocksDB takes no more writes after one (its log writer stays failed). */
    private volatile @Nullable String broken;

    private long lastFailureLog;

    GroupCommit(DiskStore store, boolean sync) {
        this.store = store;
        this.writeOptions = new WriteOptions().setSync(sync);
        this.thread = new Thread(this::run, "herald-disk-writer");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    void submit(Write w) {
        if (!running) {
            w.failed(new RocksDBException("the store is closed"));
            return;
        }
        queue.add(w);
    }

    private void run() {
        List<Write> batch = new ArrayList<>();
        while (running || !queue.isEmpty()) {
            try {
                Write first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, MAX_BATCH - 1);
                commit(batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                LOG.error("disk writer: unexpected failure", e);
            } finally {
                batch.clear();
            }
        }
    }

    private void commit(List<Write> batch) {
        try (WriteBatch wb = new WriteBatch()) {
            try {
                for (Write w : batch) {
                    w.fill(wb);
                }
                store.db.write(writeOptions, wb);
            } catch (RocksDBException e) {
                if (broken == null) {
                    broken = e.getMessage() != null ? e.getMessage() : e.toString(); // never null once failed
                    LOG.error(
                            "disk store {}: writes failed ({}); the store takes no more writes until the node is "
                                    + "restarted. Free space or fix the device, then restart: nothing acknowledged is lost, "
                                    + "and until then publishes to persisted channels get 50300 and /health/ready says not "
                                    + "ready",
                            store.dir,
                            e.getMessage());
                }
                logFailure(e, batch.size());
                for (Write w : batch) {
                    w.failed(e);
                }
                return;
            }
        }
        batches.increment();
        writes.add(batch.size());
        for (Write w : batch) {
            try {
                w.committed();
            } catch (RuntimeException e) {
                LOG.error("disk writer: completing a write failed", e);
            }
        }
    }

    private void logFailure(RocksDBException e, int size) {
        long now = System.currentTimeMillis();
        if (now - lastFailureLog > 5_000) {
            lastFailureLog = now;
            LOG.error(
                    "disk store {}: a write of {} item(s) failed, nothing of it was stored and the publishers got "
                            + "a 50300 NACK: {} (status {}). Check free space and the device.",
                    store.dir,
                    size,
                    e.getMessage(),
                    e.getStatus() == null ? "?" : e.getStatus().getCodeString());
        }
    }

    /** The reason the store stopped taking writes, or {@code null} while it works. */
    @Nullable
    String broken() {
        return broken;
    }

    long batches() {
        return batches.sum();
    }

    long writes() {
        return writes.sum();
    }

    /** Stops taking writes, commits what is queued, and stops the thread. */
    @Override
    public void close() {
        running = false;
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (Write w; (w = queue.poll()) != null; ) {
            w.failed(new RocksDBException("the store is closed"));
        }
        writeOptions.close();
    }
}
