package io.herald.core.engine.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The byte log against a plain queue of the same events: appends, drops from the front, growth, compaction, reuse;
 * frames and index both on the pool's pages.
 */
class EventLogTest {
    private record Ev(long seq, long expires, byte[] frame) {}

    private static byte[] frame(long seq, int len) {
        byte[] b = new byte[len];
        byte[] tag = Long.toString(seq).getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i < len; i++) {
            b[i] = i < tag.length ? tag[i] : (byte) (seq + i);
        }
        return b;
    }

    private static void assertSame(EventLog log, ArrayDeque<Ev> model) {
        assertThat(log.size()).isEqualTo(model.size());
        assertThat(log.isEmpty()).isEqualTo(model.isEmpty());
        int i = 0;
        for (Ev e : model) {
            assertThat(log.seq(i)).isEqualTo(e.seq());
            assertThat(log.frame(i)).isEqualTo(e.frame());
            i++;
        }
        if (!model.isEmpty()) {
            assertThat(log.firstSeq()).isEqualTo(model.peekFirst().seq());
            assertThat(log.firstExpiresAt()).isEqualTo(model.peekFirst().expires());
        }
    }

    @Test
    void randomAppendsAndDrops_matchAQueue_andCountFrameBytesPlusTheIndex() {
        randomAppendsAndDrops(0);
    }

    @Test
    void positionsPastTwoToThe32_readTheSameFrames() {
        // an event's position is kept as an int that wraps: a log that has written 4 GiB reads each event where it is
        randomAppendsAndDrops((1L << 32) - 64 * HistoryPages.PAGE);
        randomAppendsAndDrops((1L << 31) - 64 * HistoryPages.PAGE);
    }

    private static void randomAppendsAndDrops(long startAt) {
        Random rnd = new Random(42);
        HistoryPages pool = new HistoryPages();
        EventLog log = new EventLog(pool, startAt);
        ArrayDeque<Ev> model = new ArrayDeque<>();
        long counted = 0;
        long seq = 0;
        for (int step = 0; step < 20_000; step++) {
            // phases that grow the log, hold it, and drain it, so it grows, compacts, shrinks and empties
            int phase = (step / 2_000) % 3;
            boolean append = model.isEmpty() || rnd.nextInt(10) < (phase == 0 ? 8 : phase == 1 ? 5 : 2);
            if (append) {
                int len = rnd.nextInt(10) == 0 ? 2_000 + rnd.nextInt(70_000) : 1 + rnd.nextInt(300);
                Ev e = new Ev(++seq, 1000 + seq, frame(seq, len));
                counted += log.append(e.seq(), e.expires(), e.frame());
                model.addLast(e);
            } else {
                Ev e = model.removeFirst();
                counted -= log.removeFirst();
                assertThat(e.seq()).isEqualTo(seq - model.size());
            }
            if (step % 97 == 0) {
                assertSame(log, model);
            }
            long expected = model.stream()
                    .mapToLong(e -> e.frame().length + EventLog.INDEX_BYTES)
                    .sum();
            assertThat(counted).isEqualTo(expected);
            long bytes = model.stream().mapToLong(e -> e.frame().length).sum();
            assertThat((long) log.pages())
                    .as("pages held for %d bytes of frames", bytes)
                    .isBetween(bytes / HistoryPages.PAGE, bytes / HistoryPages.PAGE + 2);
            // the index: the entries' pages and at most one page more, whose first entries were dropped
            int entryPages = (model.size() + EventLog.ENTRIES_PER_PAGE - 1) / EventLog.ENTRIES_PER_PAGE;
            assertThat(log.indexPages()).isBetween(entryPages, entryPages + 1);
        }
        assertSame(log, model);
        while (!log.isEmpty()) {
            log.removeFirst();
        }
        assertThat(log.pages()).isZero();
        assertThat(log.indexPages()).isZero();
        assertThat((long) pool.freePages() * HistoryPages.PAGE)
                .as("every page back in the pool")
                .isEqualTo(pool.heldBytes());
    }

    @Test
    void twoLogsOnOnePool_keepTheirOwnFrames_andReuseEachOthersPages() {
        HistoryPages pool = new HistoryPages();
        EventLog a = new EventLog(pool);
        EventLog b = new EventLog(pool);
        ArrayDeque<Ev> ma = new ArrayDeque<>();
        ArrayDeque<Ev> mb = new ArrayDeque<>();
        for (long seq = 1; seq <= 30_000; seq++) {
            EventLog log = seq % 3 == 0 ? b : a;
            ArrayDeque<Ev> model = seq % 3 == 0 ? mb : ma;
            Ev e = new Ev(seq, seq, frame(seq, 1 + (int) (seq * 7919 % 3000)));
            log.append(e.seq(), e.expires(), e.frame());
            model.addLast(e);
            if (model.size() > 200) {
                log.removeFirst();
                model.removeFirst();
            }
        }
        assertSame(a, ma);
        assertSame(b, mb);
        // a steady history: what the two hold now is about all the pool ever made
        long held = (long) (a.pages() + b.pages()) * HistoryPages.PAGE;
        assertThat(pool.heldBytes()).isLessThanOrEqualTo(Math.max(held * 2, 1L << 20));
    }

    @Test
    void emptied_takesNewEventsAgain_andAnEmptyLogRefusesARemoval() {
        EventLog log = new EventLog(new HistoryPages());
        assertThatThrownBy(log::removeFirst).isInstanceOf(IllegalStateException.class);
        for (int round = 0; round < 3; round++) {
            for (int i = 0; i < 100; i++) {
                log.append(i, i, frame(i, 1_000));
            }
            for (int i = 0; i < 100; i++) {
                assertThat(log.firstSeq()).isEqualTo(i);
                log.removeFirst();
            }
            assertThat(log.isEmpty()).isTrue();
        }
        log.append(7, 8, new byte[0]);
        assertThat(log.frame(0)).isEmpty();
        assertThat(log.seq(0)).isEqualTo(7);
    }
}
