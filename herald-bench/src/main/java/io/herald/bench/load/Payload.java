package io.herald.bench.load;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;

/**
 * The 100-byte message body every publisher sends: {@code @@T} + the intended send time ({@link System#nanoTime()},
 * 16 hex digits) + padding. The time is when the message was <em>due</em> by the publishing schedule, not when the
 * write happened, so a stalled generator or server shows up as latency instead of hiding it (coordinated omission).
 * Subscribers find the mark in the raw frame without decoding it, which keeps the generator's cost per delivery low
 * and the same for every server kind.
 */
final class Payload {
    static final int SIZE = 100;
    private static final byte M0 = '@';
    private static final byte M1 = '@';
    private static final byte M2 = 'T';
    private static final String PADDING = ".".repeat(SIZE);
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private Payload() {
    }

    /** The body for a message due at {@code dueNanos}: exactly {@link #SIZE} ASCII characters. */
    static String text(long dueNanos) {
        char[] c = new char[SIZE];
        c[0] = '@';
        c[1] = '@';
        c[2] = 'T';
        for (int i = 0; i < 16; i++) {
            c[3 + i] = HEX[(int) (dueNanos >>> (60 - 4 * i)) & 0xf];
        }
        PADDING.getChars(0, SIZE - 19, c, 19);
        return new String(c);
    }

    static byte[] bytes(long dueNanos) {
        return text(dueNanos).getBytes(StandardCharsets.US_ASCII);
    }

    /** The due time carried by a frame, or -1 if the frame carries no payload mark. Does not move the indexes. */
    static long find(ByteBuf buf) {
        int end = buf.writerIndex() - 19;
        for (int i = buf.readerIndex(); i <= end; i++) {
            if (buf.getByte(i) == M0 && buf.getByte(i + 1) == M1 && buf.getByte(i + 2) == M2) {
                long v = 0;
                for (int k = 0; k < 16; k++) {
                    int d = Character.digit(buf.getByte(i + 3 + k), 16);
                    if (d < 0) {
                        return -1;
                    }
                    v = (v << 4) | d;
                }
                return v;
            }
        }
        return -1;
    }
}
