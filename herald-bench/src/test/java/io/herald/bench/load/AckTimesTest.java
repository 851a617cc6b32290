package io.herald.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AckTimesTest {
    private static final long MS = 1_000_000L;

    @Test
    void ackWithACount_recordsEachCoveredPublishFromWhenItWasDue() {
        LoopStats s = new LoopStats();
        s.step = 1;
        AckTimes t = new AckTimes();
        t.sent(100 * MS, 1); // msgSerial 0
        t.sent(110 * MS, 1); // 1
        t.sent(120 * MS, 1); // 2

        t.answered(0, 2, true, 130 * MS, s);

        assertThat(s.ackedOfStep).isEqualTo(2);
        assertThat(s.ackLatency.getTotalCount()).isEqualTo(2);
        assertThat(s.ackLatency.getMaxValue()).isEqualTo(s.ackLatency.highestEquivalentValue(30 * MS));
        assertThat(s.ackLatency.getMinValue()).isEqualTo(s.ackLatency.lowestEquivalentValue(20 * MS));
        assertThat(s.lastAckAt).isEqualTo(130 * MS);
        assertThat(t.waiting()).isEqualTo(1);

        t.answered(2, 1, true, 125 * MS, s);
        assertThat(s.ackedOfStep).isEqualTo(3);
        assertThat(t.waiting()).isZero();
    }

    @Test
    void nack_removesItsPublishesWithoutRecordingThem_andLaterAcksLineUp() {
        LoopStats s = new LoopStats();
        AckTimes t = new AckTimes();
        t.sent(0, 0);
        t.sent(0, 0);
        t.sent(5 * MS, 0);

        t.answered(0, 2, false, 10 * MS, s);
        assertThat(s.ackedOfStep).isZero();
        assertThat(s.ackLatency.getTotalCount()).isZero();

        t.answered(2, 1, true, 10 * MS, s);
        assertThat(s.ackedOfStep).isEqualTo(1);
        assertThat(s.ackLatency.getMaxValue()).isEqualTo(s.ackLatency.highestEquivalentValue(5 * MS));
    }

    @Test
    void olderPublishesNeverAnswered_areDroppedUnrecorded_whenALaterOneIsAcked() {
        LoopStats s = new LoopStats();
        AckTimes t = new AckTimes();
        for (int i = 0; i < 5; i++) {
            t.sent(i * MS, 0);
        }
        t.answered(3, 1, true, 10 * MS, s);

        assertThat(s.ackedOfStep).isEqualTo(1);
        assertThat(s.ackLatency.getMaxValue()).isEqualTo(s.ackLatency.highestEquivalentValue(7 * MS));
        assertThat(t.waiting()).isEqualTo(1);
    }

    @Test
    void acksOfAnEarlierStep_areNotCountedInThisOne() {
        LoopStats s = new LoopStats();
        s.step = 2;
        AckTimes t = new AckTimes();
        t.sent(0, 1);
        t.sent(0, 2);

        t.answered(0, 2, true, MS, s);

        assertThat(s.ackedOfStep).isEqualTo(1);
        assertThat(s.any).isEqualTo(2);
    }

    @Test
    void manyInFlight_growsAndKeepsTheOrder() {
        LoopStats s = new LoopStats();
        AckTimes t = new AckTimes();
        for (int i = 0; i < 1000; i++) {
            t.sent(i * MS, 0);
        }
        t.answered(0, 500, true, 1000 * MS, s);
        for (int i = 1000; i < 1200; i++) {
            t.sent(i * MS, 0);
        }
        assertThat(t.waiting()).isEqualTo(700);
        t.answered(500, 700, true, 1200 * MS, s);

        assertThat(s.ackedOfStep).isEqualTo(1200);
        assertThat(t.waiting()).isZero();
        assertThat(s.ackLatency.getMaxValue()).isEqualTo(s.ackLatency.highestEquivalentValue(1000 * MS));
        assertThat(s.ackLatency.getMinValue()).isEqualTo(s.ackLatency.lowestEquivalentValue(MS)); // due at 1199 ms
    }

    @Test
    void reset_clearsTheAckFigures() {
        LoopStats s = new LoopStats();
        s.acked(0, 0, MS);
        s.reset();

        assertThat(s.ackedOfStep).isZero();
        assertThat(s.lastAckAt).isZero();
        assertThat(s.ackLatency.getTotalCount()).isZero();
    }
}
