package io.herald.core.session;

import io.herald.core.engine.ChannelSerial;
import io.herald.protocol.Action;
import io.herald.protocol.ErrorInfo;
import io.herald.protocol.ProtocolMessage;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The last ACKs and NACKs a session sent, by msgSerial, so that a publish the client sends again after a resume is
 * answered as it was the first time (docs/protocol.md §7.1). Kept compact, because every publishing connection
 * holds one: a ring of at most {@link #CAPACITY} answers, allocated on the first publish and grown as needed, each
 * stored as what it takes to rebuild it (the one message serial, the serial list, or the NACK's error) rather than as
 * a ProtocolMessage. Older serials are answered with a plain ACK by the caller. Confined to the session's loop.
 *
 * <p>The common answer, an ACK of one message, is kept without an object of its own: its message serial ({@code
 * epoch-seq:index}) as a number beside the msgSerial and a reference to its epoch, shared with the answers before it
 * on the same channel. A string per answer, held for the next 256 publishes, was most of the objects a busy node's
 * young collections had to copy.
 */
final class RecentAnswers {
    static final int CAPACITY = 256;
    private static final Object ACK_WITHOUT_RESULT = new Object();
    private static final Object NULL_SERIAL = new Object();

    private static final long[] NO_SERIALS = {};
    private static final Object[] NO_ANSWERS = {};

    /** Shared empty arrays until the first publish. */
    private long[] serials = NO_SERIALS;

    /** For an answer kept as an {@link Epoch}: its message serial's seq and index ({@code seq * 1000 + index}). */
    private long[] positions = NO_SERIALS;

    /** The epoch of the last serial kept by position, shared by the answers on the same channel. */
    private @Nullable Epoch lastEpoch;

    private Object[] answers = NO_ANSWERS;
    /** Index of the oldest answer and how many there are. */
    private int head;

    private int size;

    /** Remembers the answer sent for {@code msgSerial}; serials arrive in increasing order. */
    void put(long msgSerial, ProtocolMessage answer) {
        Object compact = compact(answer);
        long position = 0;
        if (compact instanceof String serial) {
            position = position(serial);
            if (position >= 0) {
                compact = Objects.requireNonNull(lastEpoch);
            } else {
                position = 0;
            }
        }
        if (serials.length == 0) {
            serials = new long[8];
            positions = new long[8];
            answers = new Object[8];
        } else if (size == serials.length && size < CAPACITY) {
            grow();
        }
        int at;
        if (size == serials.length) {
            at = head;
            head = (head + 1) % serials.length;
        } else {
            at = (head + size) % serials.length;
            size++;
        }
        serials[at] = msgSerial;
        positions[at] = position;
        answers[at] = compact;
    }

    /** A channel epoch, shared by the answers that name it. */
    private record Epoch(String value) {}

    /**
     * The seq and index of a message serial as {@code seq * 1000 + index}, with {@link #lastEpoch} set to its epoch;
     * -1 when the serial is not exactly what its parts would print again (then it is kept as the string).
     */
    private long position(String serial) {
        // read in place (this runs for every ACK): the checks are those under which ChannelSerial prints the parts
        // back exactly: an epoch of ASCII letters and digits, the seq padded to SEQ_DIGITS (longer only without a
        // leading zero), the index to INDEX_DIGITS
        int colon = serial.lastIndexOf(':');
        int dash = colon < 0 ? -1 : serial.lastIndexOf('-', colon);
        int seqDigits = colon - dash - 1;
        if (dash <= 0
                || serial.length() - colon - 1 != ChannelSerial.INDEX_DIGITS
                || seqDigits < ChannelSerial.SEQ_DIGITS
                || seqDigits > 15
                || (seqDigits > ChannelSerial.SEQ_DIGITS && serial.charAt(dash + 1) == '0')) {
            return -1;
        }
        long seq = digits(serial, dash + 1, colon);
        long index = digits(serial, colon + 1, serial.length());
        if (seq < 0 || index < 0) {
            return -1;
        }
        for (int i = 0; i < dash; i++) {
            char c = serial.charAt(i);
            if (c >= 128 || !Character.isLetterOrDigit(c)) {
                return -1;
            }
        }
        Epoch epoch = lastEpoch;
        if (epoch == null || epoch.value().length() != dash || !serial.startsWith(epoch.value())) {
            epoch = new Epoch(serial.substring(0, dash));
            lastEpoch = epoch;
        }
        return seq * 1000 + index;
    }

    /** The decimal number in {@code s[from, to)}, or -1 if a character there is not a digit. */
    private static long digits(String s, int from, int to) {
        long v = 0;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }

    /** The answer sent for {@code msgSerial}, or null if it is not among the last {@link #CAPACITY}. */
    @Nullable
    ProtocolMessage get(long msgSerial) {
        for (int i = size - 1; i >= 0; i--) {
            int at = (head + i) % serials.length;
            if (serials[at] == msgSerial) {
                Object compact = answers[at];
                if (compact instanceof Epoch epoch) {
                    long p = positions[at];
                    String serial = new ChannelSerial(epoch.value(), p / 1000).messageSerial((int) (p % 1000));
                    return PublishQueue.ack(msgSerial, List.of(serial));
                }
                return expand(msgSerial, compact);
            }
            if (serials[at] < msgSerial) {
                return null;
            }
        }
        return null;
    }

    int size() {
        return size;
    }

    private void grow() {
        int n = Math.min(CAPACITY, serials.length * 2);
        long[] s = new long[n];
        long[] p = new long[n];
        Object[] a = new Object[n];
        for (int i = 0; i < size; i++) {
            int at = (head + i) % serials.length;
            s[i] = serials[at];
            p[i] = positions[at];
            a[i] = answers[at];
        }
        serials = s;
        positions = p;
        answers = a;
        head = 0;
    }

    private static Object compact(ProtocolMessage answer) {
        if (answer.action == Action.NACK && answer.error != null && answer.count != null && answer.count == 1) {
            return answer.error;
        }
        if (answer.action == Action.ACK && answer.count != null && answer.count == 1 && answer.error == null) {
            if (answer.res == null) {
                return ACK_WITHOUT_RESULT;
            }
            if (answer.res.size() == 1 && answer.res.get(0) != null) {
                List<String> s = answer.res.get(0).serials();
                if (s == null) {
                    return ACK_WITHOUT_RESULT;
                }
                if (s.size() == 1) {
                    return s.get(0) == null ? NULL_SERIAL : s.get(0);
                }
                return s;
            }
        }
        return answer;
    }

    @SuppressWarnings("unchecked")
    private static ProtocolMessage expand(long msgSerial, Object compact) {
        if (compact instanceof ProtocolMessage pm) {
            return pm;
        }
        if (compact instanceof ErrorInfo error) {
            return PublishQueue.nack(msgSerial, error);
        }
        if (compact instanceof String serial) {
            return PublishQueue.ack(msgSerial, List.of(serial));
        }
        if (compact == NULL_SERIAL) {
            return PublishQueue.ack(msgSerial, Collections.singletonList(null));
        }
        if (compact instanceof List<?> list) {
            return PublishQueue.ack(msgSerial, (List<String>) list);
        }
        return PublishQueue.ack(msgSerial, null);
    }
}
