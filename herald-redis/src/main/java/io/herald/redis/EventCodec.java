package io.herald.redis;

import io.herald.core.engine.ChannelEvent;
import io.herald.core.engine.ChannelId;
import io.herald.core.engine.ChannelSerial;
import io.herald.protocol.Action;
import io.herald.protocol.Format;
import io.herald.protocol.Message;
import io.herald.protocol.PresenceMessage;
import io.herald.protocol.ProtocolCodec;
import io.herald.protocol.ProtocolMessage;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * How events are stored and sent in Redis. The payload is the msgpack ProtocolMessage as the core handed it over
 * (without serials, which depend on the seq the script assigns); the serials and the dropped items (duplicates,
 * members another node already owns) are applied when an event is read back. A pub/sub frame is the ASCII header
 * {@code epoch seq dropped\n} followed by the payload.
 */
final class EventCodec {
    static final ProtocolCodec MSGPACK = ProtocolCodec.of(Format.MSGPACK);

    private EventCodec() {}

    /**
     * One event of a pub/sub frame, parsed up to its payload. A frame carries the events one script call appended:
     * {@code epoch count\n}, then per event {@code seq dropped length\n}, then the payloads one after another.
     */
    @SuppressWarnings("ArrayRecordComponent") // never compared or hashed; raw is the whole frame, shared by its events
    record Frame(String epoch, long seq, String dropped, byte[] raw, int offset, int length) {
        /** The frame's events; {@code null} for anything malformed. */
        static @Nullable List<Frame> parse(byte[] raw) {
            try {
                int[] pos = {0};
                String head = line(raw, pos);
                int sp = head.indexOf(' ');
                String epoch = head.substring(0, sp);
                int count = Integer.parseInt(head.substring(sp + 1));
                long[] seqs = new long[count];
                String[] dropped = new String[count];
                int[] lengths = new int[count];
                for (int i = 0; i < count; i++) {
                    String l = line(raw, pos);
                    int a = l.indexOf(' ');
                    int b = l.lastIndexOf(' ');
                    seqs[i] = Long.parseLong(l.substring(0, a));
                    dropped[i] = l.substring(a + 1, b);
                    lengths[i] = Integer.parseInt(l.substring(b + 1));
                }
                List<Frame> out = new ArrayList<>(count);
                int offset = pos[0];
                for (int i = 0; i < count; i++) {
                    if (offset + lengths[i] > raw.length) {
                        return null;
                    }
                    out.add(new Frame(epoch, seqs[i], dropped[i], raw, offset, lengths[i]));
                    offset += lengths[i];
                }
                return out;
            } catch (RuntimeException e) {
                return null;
            }
        }

        private static String line(byte[] raw, int[] pos) {
            int start = pos[0];
            int i = start;
            while (raw[i] != '\n') {
                i++;
            }
            pos[0] = i + 1;
            return new String(raw, start, i - start, StandardCharsets.US_ASCII);
        }

        byte[] payload() {
            return Arrays.copyOfRange(raw, offset, offset + length);
        }
    }

    static byte[] payload(ProtocolMessage pm) {
        return MSGPACK.encode(pm);
    }

    /** A member as stored in the presence hash: a copy with action PRESENT. */
    static byte[] member(PresenceMessage p) {
        PresenceMessage m = p.copy();
        m.action = PresenceMessage.PRESENT;
        return MSGPACK.encodePresenceMessages(List.of(m));
    }

    static PresenceMessage member(byte[] stored) {
        return MSGPACK.decodePresenceMessages(stored).get(0);
    }

    /** The event of a stored or sent payload at {@code epoch-seq}, with {@code dropped} items removed. */
    static ChannelEvent event(ChannelId channel, String epoch, long seq, String dropped, byte[] payload) {
        ProtocolMessage pm = MSGPACK.decode(payload);
        ChannelSerial serial = new ChannelSerial(epoch, seq);
        complete(pm, serial, dropped);
        return new ChannelEvent(channel, serial, pm);
    }

    /** Sets the serials and removes the dropped items, as the engine does to a published message. */
    static void complete(ProtocolMessage pm, ChannelSerial serial, @Nullable String dropped) {
        pm.channelSerial = serial.toString();
        if (pm.action == Action.OBJECT) {
            RedisObjects.stamp(pm, serial);
            return;
        }
        boolean[] drop = dropped == null || dropped.isEmpty()
                ? null
                : mask(dropped, pm.action == Action.MESSAGE ? size(pm.messages) : size(pm.presence));
        if (pm.action == Action.MESSAGE && pm.messages != null) {
            if (drop != null) {
                pm.messages = keep(pm.messages, drop);
            }
            for (int k = 0; k < pm.messages.size(); k++) {
                io.herald.core.engine.Versions.assignSerial(pm.messages.get(k), serial, k);
            }
        } else if (pm.presence != null && drop != null) {
            pm.presence = keep(pm.presence, drop);
        }
    }

    private static int size(@Nullable List<?> l) {
        return l == null ? 0 : l.size();
    }

    static boolean[] mask(@Nullable String dropped, int n) {
        boolean[] drop = new boolean[n];
        if (dropped == null || dropped.isEmpty()) {
            return drop;
        }
        // the script joins the indexes with commas: never an empty part
        for (String s : dropped.split(",", -1)) {
            int i = Integer.parseInt(s);
            if (i >= 0 && i < n) {
                drop[i] = true;
            }
        }
        return drop;
    }

    private static <T> List<T> keep(List<T> items, boolean[] drop) {
        List<T> kept = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) {
            if (!drop[i]) {
                kept.add(items.get(i));
            }
        }
        return kept;
    }

    /** A log entry as XRANGE returns it: {@code [id, [field, value, ...]]}; {@code payload} is null if it had none. */
    @SuppressWarnings("ArrayRecordComponent") // never compared or hashed
    record Entry(
            long seq, long expiresAt, boolean messages, byte @Nullable [] payload, String dropped, boolean objects) {
        static Entry of(Object raw) {
            List<?> e = (List<?>) raw;
            String id = RedisLink.string(e.get(0));
            int dash = id.indexOf('-');
            long seq = Long.parseLong(id.substring(0, dash));
            long expiresAt = Long.parseLong(id.substring(dash + 1));
            List<?> fields = (List<?>) e.get(1);
            boolean messages = false;
            byte[] payload = null;
            String dropped = "";
            boolean objects = false;
            for (int i = 0; i + 1 < fields.size(); i += 2) {
                String f = RedisLink.string(fields.get(i));
                switch (f) {
                    case "m" -> {
                        messages = true;
                        payload = (byte[]) fields.get(i + 1);
                    }
                    case "p" -> payload = (byte[]) fields.get(i + 1);
                    case "b" -> {
                        objects = true;
                        payload = (byte[]) fields.get(i + 1);
                    }
                    case "x" -> dropped = RedisLink.string(fields.get(i + 1));
                    default -> {}
                }
            }
            return new Entry(seq, expiresAt, messages, payload, dropped, objects);
        }

        /** The entry's event; throws if it cannot be decoded, as an entry without a payload cannot. */
        ChannelEvent event(ChannelId channel, String epoch) {
            if (payload == null) {
                throw new IllegalStateException("log entry " + seq + " has no payload");
            }
            return EventCodec.event(channel, epoch, seq, dropped, payload);
        }

        /** Whether any message of the entry is kept (an entry whose every message was dropped is never stored). */
        boolean isMessage() {
            return messages;
        }

        /** Whether the entry is an OBJECT event (LiveObjects operations), which history never shows. */
        boolean isObjects() {
            return objects;
        }
    }

    /** The messages of a published request, as the script needs them: the ids to dedupe on. */
    static List<String> ids(List<Message> messages) {
        List<String> ids = new ArrayList<>(messages.size());
        for (Message m : messages) {
            ids.add(m.id == null ? "" : m.id);
        }
        return ids;
    }
}
