package io.herald.bench.load;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;

/**
 * The 100-byte message body every publisher sends: {@code @@T} + the intended send time ({@link System#nanoTime()},
 * 16 hex digits) + the step it belongs to (2 hex digits) + padding. The time is when the message was <em>due</em> by the publishing schedule, not when the
 * write happened, so a stalled generator or server shows up as latency instead of hiding it (coordinated omission).
 * Subscribers find the mark in the raw frame without decoding it, which keeps the generator's cost per delivery low
 * and the same for every server kind. The step number lets a subscriber tell a late delivery from an earlier step
 * (a server still working off a backlog) from one of the step being measured.
 */
final class Payload {
    static final int SIZE = 100;
    private static final byte M0 = '@';
    private static final byte M1 = '@';
    private static final byte M2 = 'T';
    private static final String PADDING = ".".repeat(SIZE);
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private Payload() {}

    /** The body for a message of {@code step} due at {@code dueNanos}: exactly {@link #SIZE} ASCII characters. */
    static String text(long dueNanos, int step) {
        char[] c = new char[SIZE];
        c[0] = '@';
        c[1] = '@';
        c[2] = 'T';
        for (int i = 0; i < 16; i++) {
            c[3 + i] = HEX[(int) (dueNanos >>> (60 - 4 * i)) & 0xf];
        }
        c[19] = HEX[(step >>> 4) & 0xf];
        c[20] = HEX[step & 0xf];
        PADDING.getChars(0, SIZE - 21, c, 21);
        return new String(c);
    }

    static byte[] bytes(long dueNanos, int step) {
        return text(dueNanos, step).getBytes(StandardCharsets.US_ASCII);
    }

    /** Where the mark starts in a frame, or -1 if the frame carries none. Does not move the indexes. */
    static int find(ByteBuf buf) {
        int end = buf.writerIndex() - 21;
        for (int i = buf.readerIndex(); i <= end; i++) {
            if (buf.getByte(i) == M0 && buf.getByte(i + 1) == M1 && buf.getByte(i + 2) == M2) {
                return i;
            }
        }
        return -1;
    }

    /** The due time of the mark at {@code at}, or -1 if it is malformed. */
    static long due(ByteBuf buf, int at) {
        long v = 0;
        for (int k = 0; k < 16; k++) {
            int d = Character.digit(buf.getByte(at + 3 + k), 16);
            if (d < 0) {
                return -1;
            }
            v = (v << 4) | d;
        }
        return v;
    }

    /** The step number of the mark at {@code at}. */
    static int step(ByteBuf buf, int at) {
        return Character.digit(buf.getByte(at + 19), 16) << 4 | Character.digit(buf.getByte(at + 20), 16);
    }
}
