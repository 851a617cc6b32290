package io.herald.core.engine;

import org.jspecify.annotations.Nullable;

/**
 * A position in a channel's log: {@code epoch-seq}. The epoch names one life of the log (it changes when the log is
 * lost, e.g. an in-memory node restarts), the sequence number counts events from 1; {@code seq} 0 is the position of
 * an empty log. Sent to clients as the opaque {@code channelSerial} (docs/protocol.md §6.3) and read back from
 * ATTACH and {@code from_serial}. Only {@code [A-Za-z0-9-]} so it needs no escaping in URLs or Link headers.
 *
 * <p>Serials of one log life sort as strings in log order, because clients compare them as strings (@ably/chat orders
 * messages and picks the newer version by comparing serials): the sequence number is written with at least
 * {@value #SEQ_DIGITS} digits and a message's index within its event with at least {@value #INDEX_DIGITS}
 * ({@code a1b2c3d4-000000000013:002}). Parsing accepts any width, so serials written before the padding still read.
 */
public record ChannelSerial(String epoch, long seq) implements Comparable<ChannelSerial> {

    /** The sequence number's minimum width in digits: 10^12 events per log life before the order as strings breaks. */
    public static final int SEQ_DIGITS = 12;

    /** The index's minimum width within a message serial: events of up to 1000 messages sort as strings. */
    public static final int INDEX_DIGITS = 3;

    public ChannelSerial {
        if (epoch == null || epoch.isEmpty() || !lettersOrDigits(epoch, false)) {
            throw new IllegalArgumentException("bad epoch " + epoch);
        }
        if (seq < 0) {
            throw new IllegalArgumentException("negative seq");
        }
    }

    /** Parses {@code epoch-seq}; {@code null} for anything else (clients may send serials of other servers). */
    public static @Nullable ChannelSerial parse(@Nullable String s) {
        if (s == null) {
            return null;
        }
        int dash = s.lastIndexOf('-');
        if (dash <= 0 || dash == s.length() - 1 || s.length() > 64) {
            return null;
        }
        String epoch = s.substring(0, dash);
        if (!lettersOrDigits(epoch, true)) {
            return null;
        }
        long seq = 0;
        for (int i = dash + 1; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9' || i - dash > 18) {
                return null;
            }
            seq = seq * 10 + (c - '0');
        }
        return new ChannelSerial(epoch, seq);
    }

    /** A plain loop: this runs for every published event, and a stream here was a quarter of a publish's CPU. */
    private static boolean lettersOrDigits(String s, boolean asciiOnly) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if ((asciiOnly && c >= 128) || !Character.isLetterOrDigit(c)) {
                return false;
            }
        }
        return true;
    }

    /**
     * The serial of the message at {@code index} within the event at this position. One concatenation, so one array
     * and one string per serial (a builder copied its array again): this runs for every published message.
     */
    public String messageSerial(int index) {
        return epoch + "-" + zeros(seq, SEQ_DIGITS) + seq + ":" + zeros(index, INDEX_DIGITS) + index;
    }

    @Override
    public int compareTo(ChannelSerial o) {
        return Long.compare(seq, o.seq);
    }

    @Override
    public String toString() {
        return epoch + "-" + zeros(seq, SEQ_DIGITS) + seq;
    }

    /** Runs of zeros, {@code ZEROS[n]} has {@code n}: the padding of a number narrower than its width. */
    private static final String[] ZEROS = new String[SEQ_DIGITS + 1];

    static {
        for (int i = 0; i < ZEROS.length; i++) {
            ZEROS[i] = "0".repeat(i);
        }
    }

    /** The zeros that pad {@code value} to {@code width} digits (none for a negative value or a wide one). */
    private static String zeros(long value, int width) {
        int digits = 1;
        for (long v = value; v >= 10; v /= 10) {
            digits++;
        }
        return digits >= width ? "" : ZEROS[width - digits];
    }
}
