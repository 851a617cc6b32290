package io.herald.disk;

import io.herald.core.engine.NonceStore;
import io.herald.core.engine.Revocation;
import io.herald.core.engine.RevocationStore;
import io.herald.core.engine.memory.MemoryEngine;
import io.herald.core.internal.AblyException;
import io.herald.core.internal.Ids;
import io.herald.core.internal.Stages;
import io.herald.protocol.ErrorCode;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;

/**
 * Nonces and revocations that survive a restart. The memory engine still answers (a nonce claimed twice in this
 * process is refused without a disk read, revocations are checked in memory); the store adds what a restart would
 * forget: a nonce is stored before its TokenRequest is answered, a revocation before it is announced, and the
 * revocations still in force are loaded at start.
 */
final class DurableSecurity implements NonceStore, RevocationStore {
    private final DiskStore store;
    private final GroupCommit commit;
    private final MemoryEngine memory;
    private final Clock clock;

    DurableSecurity(DiskStore store, GroupCommit commit, MemoryEngine memory, Clock clock) {
        this.store = store;
        this.commit = commit;
        this.memory = memory;
        this.clock = clock;
    }

    /** Hands the stored revocations still in force to the memory engine (before it has a listener). */
    int loadRevocations() throws RocksDBException {
        long now = clock.millis();
        int n = 0;
        try (RocksIterator it = store.db.newIterator(store.revocations)) {
            for (it.seekToFirst(); it.isValid(); it.next()) {
                Revocation r = Layout.revocationOf(it.value());
                if (r.expiresAt() > now) {
                    memory.add(r);
                    n++;
                }
            }
        }
        return n;
    }

    /** Deletes stored revocations that can no longer match a live token. */
    void sweepRevocations() throws RocksDBException {
        long now = clock.millis();
        try (RocksIterator it = store.db.newIterator(store.revocations)) {
            for (it.seekToFirst(); it.isValid(); it.next()) {
                if (Layout.revocationOf(it.value()).expiresAt() <= now) {
                    store.db.delete(store.revocations, it.key());
                }
            }
        }
    }

    @Override
    public CompletionStage<Boolean> claim(String keyName, String nonce, Instant forgetAfter) {
        return memory.claim(keyName, nonce, forgetAfter).thenCompose(first -> {
            if (!first) {
                return CompletableFuture.completedFuture(false);
            }
            byte[] key = Layout.nonceKey(keyName, nonce);
            try {
                byte[] stored = store.db.get(store.nonces, key);
                if (stored != null && Layout.expiryOf(stored) > clock.millis()) {
                    return CompletableFuture.completedFuture(false);
                }
            } catch (RocksDBException e) {
                return Stages.failed(unavailable("the TokenRequest's nonce could not be checked", e));
            }
            CompletableFuture<Boolean> done = new CompletableFuture<>();
            commit.submit(new GroupCommit.Write() {
                @Override
                public void fill(WriteBatch batch) throws RocksDBException {
                    batch.put(store.nonces, key, Layout.expiry(forgetAfter.toEpochMilli()));
                }

                @Override
                public void committed() {
                    done.complete(true);
                }

                @Override
                public void failed(RocksDBException e) {
                    done.completeExceptionally(unavailable("the TokenRequest's nonce could not be stored", e));
                }
            });
            return done;
        });
    }

    @Override
    public CompletionStage<Void> add(Revocation revocation) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        byte[] key = Layout.revocationKey(revocation.keyName(), Ids.alphanumeric(16));
        commit.submit(new GroupCommit.Write() {
            @Override
            public void fill(WriteBatch batch) throws RocksDBException {
                batch.put(store.revocations, key, Layout.revocationValue(revocation));
            }

            @Override
            public void committed() {
                memory.add(revocation).whenComplete((v, e) -> done.complete(null));
            }

            @Override
            public void failed(RocksDBException e) {
                done.completeExceptionally(unavailable("the revocation could not be stored", e));
            }
        });
        return done;
    }

    @Override
    public List<Revocation> forKey(String keyName) {
        return memory.forKey(keyName);
    }

    static AblyException unavailable(String what, RocksDBException e) {
        return new AblyException(
                ErrorCode.SERVICE_UNAVAILABLE,
                "Disk store failure: " + what + " (" + e.getMessage() + "); try again later");
    }
}
