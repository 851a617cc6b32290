package io.herald.core.engine.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The byte log against a plain queue of the same events: appends, drops from the front, growth, compaction, reuse. */
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
        Random rnd = new Random(42);
        EventLog log = new EventLog();
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
        }
        assertSame(log, model);
    }

    @Test
    void emptied_takesNewEventsAgain_andAnEmptyLogRefusesARemoval() {
        EventLog log = new EventLog();
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
