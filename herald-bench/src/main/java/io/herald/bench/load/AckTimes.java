package io.herald.bench.load;

/**
 * The publishes of one connection still waiting for their ACK, oldest first: when each was due and in which step.
 * The server acknowledges in msgSerial order ({@code ACK msgSerial=s count=n} covers s .. s+n-1), so a FIFO of the
 * due times is enough. Used on the connection's event loop only.
 */
final class AckTimes {
    private long[] due = new long[64];
    private int[] step = new int[64];
    private int head;
    private int size;
    /** msgSerial of the oldest entry. */
    private long first;

    /** Remembers the publish with the next msgSerial. */
    void sent(long dueNanos, int ofStep) {
        if (size == due.length) {
            grow();
        }
        int at = (head + size) & (due.length - 1);
        due[at] = dueNanos;
        step[at] = ofStep;
        size++;
    }

    /**
     * Takes the publishes {@code msgSerial .. msgSerial+count-1} out (and any older ones still waiting, which the
     * server never answered) and, when they were acknowledged ({@code ack}; not for a NACK), records each one's
     * due-to-{@code now} time into {@code stats}.
     */
    void answered(long msgSerial, int count, boolean ack, long now, LoopStats stats) {
        while (size > 0 && first < msgSerial + count) {
            if (ack && first >= msgSerial) {
                stats.acked(due[head], step[head], now);
            }
            head = (head + 1) & (due.length - 1);
            size--;
            first++;
        }
    }

    int waiting() {
        return size;
    }

    private void grow() {
        long[] d = new long[due.length * 2];
        int[] s = new int[due.length * 2];
        for (int i = 0; i < size; i++) {
            d[i] = due[(head + i) & (due.length - 1)];
            s[i] = step[(head + i) & (due.length - 1)];
        }
        due = d;
        step = s;
        head = 0;
    }
}
