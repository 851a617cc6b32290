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
 * <p>The common answer, an ACK of one message, is kept in primitive arrays only: its message serial ({@code
 * epoch-seq:index}) as a number beside the msgSerial and a one-byte kind naming its epoch in a small table the
 * answers on the same channel share. A string per answer, held for the next 256 publishes, was most of the objects a
 * busy node's young collections had to copy; a reference stored per answer marked a card of this (by then
 * old-generation) ring dirty, and every young collection scanned those cards again. References are stored only for
 * the uncommon answers (a NACK, several serials, a serial not in Herald's form) and for a new epoch.
 */
final class RecentAnswers {
    static final int CAPACITY = 256;

    /** Kinds: the answer is in {@link #answers}; an ACK without a result; an ACK of one null serial. */
    private static final byte OBJECT = 0;

    private static final byte ACK_WITHOUT_RESULT = 1;
    private static final byte NULL_SERIAL = 2;
    /** Kind {@code FIRST_EPOCH + i}: an ACK of one serial, {@code epochs[i]} with the slot's position. */
    private static final int FIRST_EPOCH = 3;
    /** At most this many epochs at once; past that a serial is kept as its string. */
    static final int MAX_EPOCHS = 64;

    private static final long[] NO_SERIALS = {};
    private static final byte[] NO_KINDS = {};
    private static final @Nullable String[] NO_EPOCHS = {};

    /** Shared empty arrays until the first publish. */
    private long[] serials = NO_SERIALS;

    /** For an answer of an epoch kind: its message serial's seq and index ({@code seq * 1000 + index}). */
    private long[] positions = NO_SERIALS;

    private byte[] kinds = NO_KINDS;

    /** The uncommon answers, by slot; allocated on the first one. */
    private Object @Nullable [] answers;

    /** The epochs the answers name (slots of an epoch no answer names any more are reused). */
    private @Nullable String[] epochs = NO_EPOCHS;

    /** Index in {@link #epochs} of the last epoch used, tried first. */
    private int lastEpoch = -1;

    /** Index of the oldest answer and how many there are. */
    private int head;

    private int size;

    /** Remembers the answer sent for {@code msgSerial}; serials arrive in increasing order. */
    void put(long msgSerial, ProtocolMessage answer) {
        if (serials.length == 0) {
            serials = new long[8];
            positions = new long[8];
            kinds = new byte[8];
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
        // the slot is claimed first: an epoch slot is free once no kept answer names it, this one's old answer neither
        kinds[at] = ACK_WITHOUT_RESULT;
        Object[] objects = answers;
        if (objects != null && objects[at] != null) {
            objects[at] = null;
        }
        serials[at] = msgSerial;
        Object compact = compact(answer);
        if (compact instanceof Byte kind) {
            kinds[at] = kind;
            return;
        }
        if (compact instanceof String serial) {
            long position = position(serial);
            if (position >= 0) {
                positions[at] = position;
                kinds[at] = (byte) (FIRST_EPOCH + lastEpoch);
                return;
            }
        }
        kinds[at] = OBJECT;
        if (objects == null) {
            objects = new Object[serials.length];
            answers = objects;
        }
        objects[at] = compact;
    }

    /**
     * The seq and index of a message serial as {@code seq * 1000 + index}, with {@link #lastEpoch} set to its epoch's
     * index; -1 when the serial is not exactly what its parts would print again (then it is kept as the string), or
     * when {@link #MAX_EPOCHS} other epochs are named by kept answers.
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
        int e = epochIndex(serial, dash);
        if (e < 0) {
            return -1;
        }
        lastEpoch = e;
        return seq * 1000 + index;
    }

    /** The index of {@code serial[0, dash)} in {@link #epochs}, added if new; -1 if the table is full. */
    private int epochIndex(String serial, int dash) {
        if (lastEpoch >= 0 && sameEpoch(epochs[lastEpoch], serial, dash)) {
            return lastEpoch;
        }
        for (int i = 0; i < epochs.length; i++) {
            if (sameEpoch(epochs[i], serial, dash)) {
                return i;
            }
        }
        int free = freeEpoch();
        if (free < 0) {
            return -1;
        }
        epochs[free] = serial.substring(0, dash);
        return free;
    }

    private static boolean sameEpoch(@Nullable String epoch, String serial, int dash) {
        return epoch != null && epoch.length() == dash && serial.startsWith(epoch);
    }

    /** A slot of {@link #epochs} no kept answer names (the table grown while below the limit), or -1. */
    private int freeEpoch() {
        for (int i = 0; i < epochs.length; i++) {
            if (epochs[i] == null) {
                return i;
            }
        }
        if (epochs.length < MAX_EPOCHS) {
            int n = epochs.length;
            epochs = java.util.Arrays.copyOf(epochs, Math.min(MAX_EPOCHS, Math.max(2, n * 2)));
            return n;
        }
        long named = 0;
        for (int i = 0; i < size; i++) {
            int kind = kinds[(head + i) % kinds.length];
            if (kind >= FIRST_EPOCH) {
                named |= 1L << (kind - FIRST_EPOCH);
            }
        }
        if (named == -1L) {
            return -1;
        }
        int free = Long.numberOfTrailingZeros(~named);
        epochs[free] = null;
        if (lastEpoch == free) {
            lastEpoch = -1;
        }
        return free;
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
                return answerAt(at, msgSerial);
            }
            if (serials[at] < msgSerial) {
                return null;
            }
        }
        return null;
    }

    private ProtocolMessage answerAt(int at, long msgSerial) {
        int kind = kinds[at];
        if (kind >= FIRST_EPOCH) {
            long p = positions[at];
            String epoch = Objects.requireNonNull(epochs[kind - FIRST_EPOCH], "a kept answer's epoch is kept");
            String serial = new ChannelSerial(epoch, p / 1000).messageSerial((int) (p % 1000));
            return PublishQueue.ack(msgSerial, List.of(serial));
        }
        if (kind == NULL_SERIAL) {
            return PublishQueue.ack(msgSerial, Collections.singletonList(null));
        }
        if (kind == ACK_WITHOUT_RESULT) {
            return PublishQueue.ack(msgSerial, null);
        }
        return expand(msgSerial, Objects.requireNonNull(Objects.requireNonNull(answers)[at]));
    }

    int size() {
        return size;
    }

    /** How many epochs the table holds now (for tests). */
    int epochsHeld() {
        int n = 0;
        for (String e : epochs) {
            if (e != null) {
                n++;
            }
        }
        return n;
    }

    private void grow() {
        int n = Math.min(CAPACITY, serials.length * 2);
        long[] s = new long[n];
        long[] p = new long[n];
        byte[] k = new byte[n];
        Object[] old = answers;
        Object[] a = old == null ? null : new Object[n];
        for (int i = 0; i < size; i++) {
            int at = (head + i) % serials.length;
            s[i] = serials[at];
            p[i] = positions[at];
            k[i] = kinds[at];
            if (old != null && a != null) {
                a[i] = old[at];
            }
        }
        serials = s;
        positions = p;
        kinds = k;
        answers = a;
        head = 0;
    }

    /** What to keep of an answer: a kind ({@link Byte}), the one serial, or an object {@link #expand} rebuilds. */
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
        if (compact instanceof List<?> list) {
            return PublishQueue.ack(msgSerial, (List<String>) list);
        }
        return PublishQueue.ack(msgSerial, null);
    }
}
