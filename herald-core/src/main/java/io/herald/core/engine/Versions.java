package io.herald.core.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.herald.core.internal.AblyException;
import io.herald.protocol.Action;
import io.herald.protocol.ErrorCode;
import io.herald.protocol.Message;
import io.herald.protocol.ProtocolMessage;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.jspecify.annotations.Nullable;

/**
 * Message versions (docs/protocol.md §7.8): an update, delete or append of a published message is one more event in
 * the channel's log, carrying one message whose {@code serial} is the original's and whose {@code version.serial} is
 * the event's own position. Nothing is rewritten in place: the latest version of a message is the fold of its
 * original and the operations after it, in log order, which every engine reads the same way from its log. These are
 * the rules of that fold, shared by the engines and the layers above them.
 */
public final class Versions {
    /** Message actions (SPEC TM5). */
    public static final int CREATE = 0;

    public static final int UPDATE = 1;
    public static final int DELETE = 2;
    public static final int APPEND = 5;
    /** A message's new annotation summary (docs/protocol.md §7.10), delivered with the original serial. */
    public static final int SUMMARY = 4;

    /** How far after the original a lookup reads the log for its operations. */
    static final int MAX_SCAN = 10_000;

    private Versions() {}

    /** Whether {@code m} is an operation on an earlier message (update, delete or append). */
    public static boolean isOperation(@Nullable Message m) {
        return m != null && m.action != null && (m.action == UPDATE || m.action == DELETE || m.action == APPEND);
    }

    /**
     * Whether the event is an operation on an earlier message (an update, delete, append, or an annotation with the
     * summary it makes) rather than new messages. History and rewind show such events folded into the message.
     */
    public static boolean isOperationEvent(ChannelEvent event) {
        return operationOf(event) != null || annotationOf(event) != null;
    }

    /** Whether {@code m} is a summary message (action 4). */
    public static boolean isSummary(@Nullable Message m) {
        return m != null && m.action != null && m.action == SUMMARY;
    }

    /**
     * The annotation an annotation event carries, or {@code null} for any other event. An annotation event is a
     * MESSAGE whose one message is the summary (action 4) of the annotated message, with the annotation itself in the
     * ProtocolMessage's {@code annotations} array (docs/protocol.md §7.10).
     */
    public static @Nullable ObjectNode annotationOf(ChannelEvent event) {
        ProtocolMessage pm = event.message();
        List<Message> ms = pm.messages;
        if (pm.action != Action.MESSAGE
                || ms == null
                || ms.size() != 1
                || !isSummary(ms.get(0))
                || pm.annotations == null
                || !pm.annotations.isArray()
                || pm.annotations.size() != 1
                || !(pm.annotations.get(0) instanceof ObjectNode a)) {
            return null;
        }
        return a;
    }

    /** A copy of an event's annotation with its own serial: the event's position. */
    public static ObjectNode withSerial(ObjectNode annotation, ChannelEvent event) {
        ObjectNode a = annotation.deepCopy();
        a.put("serial", event.serial().messageSerial(0));
        return a;
    }

    /** The one operation message an operation event carries, or {@code null} for any other event. */
    static @Nullable Message operationOf(ChannelEvent event) {
        ProtocolMessage pm = event.message();
        List<Message> ms = pm.messages;
        if (pm.action != Action.MESSAGE || ms == null || ms.size() != 1 || !isOperation(ms.get(0))) {
            return null;
        }
        return ms.get(0);
    }

    /**
     * What an engine does to the {@code index}th message of the event at {@code position}: a new message gets its
     * serial; an operation keeps the serial of the message it changes and gets the position as its version serial.
     * Returns the serial to acknowledge (the message's, or the version's).
     */
    public static String assignSerial(Message m, ChannelSerial position, int index) {
        String serial = position.messageSerial(index);
        if (isSummary(m) && m.serial != null) {
            // an annotation's summary keeps the annotated message's serial; the position is the annotation's
            return serial;
        }
        if (isOperation(m) && m.serial != null) {
            ObjectNode v = m.version instanceof ObjectNode o ? o.deepCopy() : JsonNodeFactory.instance.objectNode();
            v.put("serial", serial);
            m.version = v;
        } else {
            m.serial = serial;
        }
        return serial;
    }

    /** The message serial's event position and index, or {@code null} if it is not one of Herald's serials. */
    public static @Nullable Located locate(@Nullable String serial) {
        if (serial == null) {
            return null;
        }
        int colon = serial.lastIndexOf(':');
        if (colon <= 0 || colon == serial.length() - 1 || serial.length() - colon > 7) {
            return null;
        }
        ChannelSerial position = ChannelSerial.parse(serial.substring(0, colon));
        if (position == null || position.seq() == 0) {
            return null;
        }
        try {
            int index = Integer.parseInt(serial.substring(colon + 1));
            return index < 0 ? null : new Located(position, index);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /**
     * The serial as Herald writes it now (zero-padded, {@link ChannelSerial}), for one a client sends in another width
     * (e.g. one kept from before the padding); anything that is not one of Herald's serials is returned unchanged.
     */
    public static String canonical(String serial) {
        Located at = locate(serial);
        if (at == null) {
            return serial;
        }
        String written = at.position().messageSerial(at.index());
        return written.equals(serial) ? serial : written;
    }

    /** Whether two serials name the same message, whatever width their numbers were written in. */
    public static boolean sameSerial(@Nullable String a, @Nullable String b) {
        if (a == null || b == null) {
            return false;
        }
        if (a.equals(b)) {
            return true;
        }
        Located x = locate(a);
        Located y = locate(b);
        return x != null && x.equals(y);
    }

    /** Where a message sits in its channel's log. */
    public record Located(ChannelSerial position, int index) {}

    /**
     * The message an operation publishes, built from the latest version: an update or delete mixes the request's
     * {@code name}, {@code data} (with its {@code encoding}) and {@code extras} into the latest version (fields the
     * request leaves out are kept); an append carries only what is appended (the subscribers add it themselves), with
     * the message's identity. {@code version} holds the operation's metadata; the engine adds its serial.
     */
    public static Message operation(Message latest, Message request, int action, ObjectNode version) {
        Message m;
        if (action == APPEND) {
            m = new Message();
            m.id = latest.id;
            m.clientId = latest.clientId;
            m.connectionId = latest.connectionId;
            m.timestamp = latest.timestamp;
            // delivered with the message's name and extras unless the append brings its own (ably-js expects the
            // original name on a live append); data is only the appended fragment
            m.name = request.name != null ? request.name : latest.name;
            m.data = request.data;
            m.encoding = request.data == null ? null : request.encoding;
            m.extras = request.extras != null ? request.extras : latest.extras;
        } else {
            m = latest.copy();
            if (request.name != null) {
                m.name = request.name;
            }
            if (request.data != null) {
                m.data = request.data;
                m.encoding = request.encoding;
            }
            if (request.extras != null) {
                m.extras = request.extras;
            }
        }
        m.connectionKey = null;
        m.serial = latest.serial;
        m.action = action;
        m.version = version;
        return m;
    }

    /**
     * The message after {@code op}: an update or delete is the whole new version; an append adds its data to the
     * data so far (strings are joined, binary is joined), replaces {@code name} and {@code extras} if it has them,
     * and reads back as an update. Throws 40013 when the data cannot be joined (a string onto binary, JSON, or
     * another encoding).
     */
    public static Message apply(Message current, Message op) {
        if (op.action == null || op.action != APPEND) {
            return op;
        }
        Message m = current.copy();
        joinData(m, current, op);
        if (op.name != null) {
            m.name = op.name;
        }
        if (op.extras != null) {
            m.extras = op.extras;
        }
        m.action = UPDATE;
        m.version = op.version;
        return m;
    }

    private static void joinData(Message into, Message current, Message op) {
        if (op.data == null) {
            return;
        }
        if (current.data == null) {
            into.data = op.data;
            into.encoding = op.encoding;
            return;
        }
        byte[] a = binary(current.data, current.encoding);
        byte[] b = binary(op.data, op.encoding);
        if (a != null && b != null) {
            byte[] joined = new byte[a.length + b.length];
            System.arraycopy(a, 0, joined, 0, a.length);
            System.arraycopy(b, 0, joined, a.length, b.length);
            boolean base64 = current.data instanceof String;
            into.data = base64 ? Base64.getEncoder().encodeToString(joined) : joined;
            into.encoding = base64 ? "base64" : null;
            return;
        }
        if (current.data instanceof String s
                && op.data instanceof String t
                && textual(current.encoding)
                && textual(op.encoding)) {
            into.data = s + t;
            into.encoding = current.encoding == null ? op.encoding : current.encoding;
            return;
        }
        throw new AblyException(
                ErrorCode.INVALID_MESSAGE_DATA_OR_ENCODING,
                "Unable to append: the appended data (" + kind(op.data, op.encoding)
                        + ") cannot be joined to the message's data (" + kind(current.data, current.encoding)
                        + "); both must be strings, or both binary");
    }

    private static boolean textual(@Nullable String encoding) {
        return encoding == null || encoding.isEmpty() || encoding.equals("utf-8");
    }

    private static byte @Nullable [] binary(Object data, @Nullable String encoding) {
        if (data instanceof byte[] b && (encoding == null || encoding.isEmpty())) {
            return b;
        }
        if (data instanceof String s && "base64".equals(encoding)) {
            try {
                return Base64.getDecoder().decode(s);
            } catch (IllegalArgumentException e) {
                return null;
            }
        }
        return null;
    }

    private static String kind(Object data, @Nullable String encoding) {
        String type = data instanceof byte[] ? "binary" : "a string";
        return encoding == null ? type : type + " with encoding " + encoding;
    }

    /** Every version from the original and its operations in log order: the message as it stood after each. */
    public static List<Message> fold(Message original, List<Message> operations) {
        List<Message> out = new ArrayList<>(operations.size() + 1);
        Message current = original;
        out.add(current);
        for (Message op : operations) {
            current = apply(current, op);
            out.add(current);
        }
        return out;
    }

    /**
     * Every version of the message with {@code serial}, oldest first (the original, then the message after each
     * operation); empty when the log no longer holds the original, or never did. Reads the log from the original
     * on, up to {@value #MAX_SCAN} events.
     */
    public static CompletionStage<List<Message>> read(HistoryStore history, ChannelId channel, String serial) {
        Located at = locate(serial);
        if (at == null) {
            return CompletableFuture.completedFuture(List.of());
        }
        ChannelSerial before =
                new ChannelSerial(at.position().epoch(), at.position().seq() - 1);
        return history.since(channel, before, MAX_SCAN).thenApply(replay -> {
            List<ChannelEvent> events = replay.events();
            if (!replay.continuous()
                    || events.isEmpty()
                    || events.get(0).seq() != at.position().seq()) {
                return List.of();
            }
            ChannelEvent first = events.get(0);
            List<Message> messages = first.message().messages;
            if (first.action() != Action.MESSAGE
                    || isOperationEvent(first)
                    || messages == null
                    || at.index() >= messages.size()) {
                return List.of();
            }
            List<Message> ops = new ArrayList<>();
            List<JsonNode> annotations = new ArrayList<>();
            for (int i = 1; i < events.size(); i++) {
                ChannelEvent e = events.get(i);
                Message op = operationOf(e);
                if (op != null && sameSerial(serial, op.serial)) {
                    ops.add(op);
                }
                ObjectNode a = annotationOf(e);
                if (a != null && sameSerial(serial, messageSerialOf(a))) {
                    annotations.add(a);
                }
            }
            List<Message> versions = fold(messages.get(at.index()), ops);
            if (!annotations.isEmpty()) {
                versions.set(versions.size() - 1, summarised(versions.get(versions.size() - 1), annotations));
            }
            return versions;
        });
    }

    /**
     * The page with each message replaced by its latest version (history shows a message where it was first
     * published, as it stands now). One read of the log from the page's oldest message on.
     */
    public static CompletionStage<HistoryPage> latest(HistoryStore history, ChannelId channel, HistoryPage page) {
        long oldest = Long.MAX_VALUE;
        String epoch = null;
        for (HistoryItem i : page.items()) {
            Located at = i.item() instanceof Message m ? locate(m.serial) : null;
            if (at != null) {
                oldest = Math.min(oldest, at.position().seq());
                epoch = at.position().epoch();
            }
        }
        if (epoch == null) {
            return CompletableFuture.completedFuture(page);
        }
        return operationsSince(history, channel, new ChannelSerial(epoch, oldest - 1))
                .thenApply(ops -> {
                    if (ops.isEmpty()) {
                        return page;
                    }
                    List<HistoryItem> items = new ArrayList<>(page.items().size());
                    for (HistoryItem i : page.items()) {
                        items.add(
                                i.item() instanceof Message m && ops.touches(m.serial)
                                        ? new HistoryItem(i.cursor(), ops.last(m))
                                        : i);
                    }
                    return new HistoryPage(items, page.hasMore());
                });
    }

    /** The replay ({@code rewind}) with operations left out and each message replaced by its latest version. */
    public static CompletionStage<Replay> latest(HistoryStore history, ChannelId channel, Replay replay) {
        List<ChannelEvent> events = replay.events();
        if (events.isEmpty()) {
            return CompletableFuture.completedFuture(replay);
        }
        ChannelSerial from = events.get(0).serial();
        return operationsSince(history, channel, new ChannelSerial(from.epoch(), from.seq() - 1))
                .thenApply(ops -> {
                    List<ChannelEvent> out = new ArrayList<>(events.size());
                    for (ChannelEvent e : events) {
                        if (isOperationEvent(e)) {
                            continue;
                        }
                        List<Message> messages = e.message().messages;
                        boolean changed = false;
                        List<Message> latest = new ArrayList<>();
                        if (messages != null) {
                            for (Message m : messages) {
                                boolean mine = ops.touches(m.serial);
                                changed |= mine;
                                latest.add(mine ? ops.last(m) : m);
                            }
                        }
                        if (!changed) {
                            out.add(e);
                            continue;
                        }
                        ProtocolMessage pm = new ProtocolMessage(Action.MESSAGE);
                        pm.channel = e.message().channel;
                        pm.id = e.message().id;
                        pm.channelSerial = e.message().channelSerial;
                        pm.connectionId = e.message().connectionId;
                        pm.timestamp = e.message().timestamp;
                        pm.messages = latest;
                        out.add(new ChannelEvent(e.channel(), e.serial(), pm));
                    }
                    return new Replay(replay.continuous(), out, replay.position());
                });
    }

    /** The message with its {@code annotations.summary} folded from {@code annotations}. */
    private static Message summarised(Message m, List<JsonNode> annotations) {
        Message out = m.copy();
        out.annotations = Summaries.annotationsField(Summaries.fold(annotations));
        return out;
    }

    private static @Nullable String messageSerialOf(JsonNode annotation) {
        JsonNode s = annotation.get("messageSerial");
        return s != null && s.isTextual() ? s.asText() : null;
    }

    /** The operations and annotations found in a stretch of the log, by the serial of the message they change. */
    private record Changes(Map<String, List<Message>> ops, Map<String, List<JsonNode>> annotations) {
        boolean isEmpty() {
            return ops.isEmpty() && annotations.isEmpty();
        }

        boolean touches(@Nullable String serial) {
            return serial != null && (ops.containsKey(serial) || annotations.containsKey(serial));
        }

        /** The message's latest version, with its summary if it has annotations. */
        Message last(Message original) {
            Message current = original;
            for (Message op : ops.getOrDefault(original.serial, List.of())) {
                current = apply(current, op);
            }
            List<JsonNode> mine = annotations.get(original.serial);
            return mine == null ? current : summarised(current, mine);
        }
    }

    /** The operations and annotations in the log after {@code after}, by the serial of the message they change. */
    private static CompletionStage<Changes> operationsSince(
            HistoryStore history, ChannelId channel, ChannelSerial after) {
        return history.since(channel, after, MAX_SCAN).thenApply(replay -> {
            Map<String, List<Message>> ops = new HashMap<>();
            Map<String, List<JsonNode>> annotations = new HashMap<>();
            for (ChannelEvent e : replay.events()) {
                Message op = operationOf(e);
                if (op != null) {
                    if (op.serial != null) {
                        ops.computeIfAbsent(op.serial, s -> new ArrayList<>()).add(op);
                    }
                }
                ObjectNode a = annotationOf(e);
                String target = a == null ? null : messageSerialOf(a);
                if (a != null && target != null) {
                    annotations.computeIfAbsent(target, s -> new ArrayList<>()).add(a);
                }
            }
            return new Changes(ops, annotations);
        });
    }

    /** A version object for an operation: its timestamp and the caller's metadata. */
    public static ObjectNode version(@Nullable JsonNode requested, @Nullable String clientId, long timestamp) {
        ObjectNode v = JsonNodeFactory.instance.objectNode();
        v.put("timestamp", timestamp);
        if (clientId != null) {
            v.put("clientId", clientId);
        }
        if (requested != null && requested.isObject()) {
            JsonNode description = requested.get("description");
            if (description != null && description.isTextual()) {
                v.put("description", description.asText());
            } else if (description != null && !description.isNull()) {
                throw badVersion("description must be a string");
            }
            JsonNode metadata = requested.get("metadata");
            if (metadata != null && metadata.isObject()) {
                ObjectNode md = v.putObject("metadata");
                metadata.properties().forEach(f -> {
                    if (!f.getValue().isValueNode() || f.getValue().isNull()) {
                        throw badVersion("metadata values must be strings");
                    }
                    md.put(f.getKey(), f.getValue().asText());
                });
            } else if (metadata != null && !metadata.isNull()) {
                throw badVersion("metadata must be an object of strings");
            }
        } else if (requested != null && !requested.isNull()) {
            throw badVersion("version must be an object");
        }
        return v;
    }

    private static AblyException badVersion(String why) {
        return new AblyException(ErrorCode.INVALID_PARAMETER_VALUE, "Invalid message operation: " + why);
    }
}
