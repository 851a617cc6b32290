package io.herald.disk;

import io.herald.core.internal.Ids;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/**
 * Gives every stored channel a new epoch, its seq going on from the last one stored. Used when acknowledged writes may
 * have been lost (an unclean stop followed by a reboot, with {@code fsync} not {@code always}): serials handed out
 * before the loss may then name events the store does not have, and with a new epoch no client's serial can be
 * mistaken for a position in the new log, so a client resuming is told continuity was lost instead of silently
 * missing those events.
 */
final class EpochRenewal {
    private final DiskStore store;

    EpochRenewal(DiskStore store) {
        this.store = store;
    }

    int renewAll() throws RocksDBException {
        int n = 0;
        try (RocksIterator it = store.db.newIterator(store.channels);
                WriteBatch batch = new WriteBatch();
                WriteOptions sync = new WriteOptions().setSync(true)) {
            for (it.seekToFirst(); it.isValid(); it.next()) {
                Layout.Meta old = Layout.Meta.decode(it.value());
                batch.put(
                        store.channels,
                        it.key(),
                        new Layout.Meta(after(old.epoch()), old.lastSeq(), old.lastSeq()).encode());
                n++;
            }
            store.db.write(sync, batch);
        }
        return n;
    }

    /**
     * A new epoch that sorts after {@code old} as a string: LiveObjects compare serials as strings (last writer wins
     * on a map key), so an operation of the new epoch must win over the stored ones of the old. A random one while
     * one is found, else the old one with a random character appended (longer, so greater).
     */
    static String after(String old) {
        for (int i = 0; i < 64; i++) {
            String e = Ids.alphanumeric(8);
            if (e.compareTo(old) > 0) {
                return e;
            }
        }
        return old + Ids.alphanumeric(1);
    }
}
