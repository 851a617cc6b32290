package io.herald.core.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.herald.protocol.Action;
import io.herald.protocol.Message;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.jspecify.annotations.Nullable;

/**
 * Annotation summaries (docs/protocol.md §7.10): the fold of a message's annotations, in log order, into the
 * {@code annotations.summary} object its readers see, one entry per annotation type. The type's aggregation method
 * ({@code namespace:method.v1}) says how: {@code total.v1} counts annotations, {@code flag.v1} the distinct clients,
 * {@code distinct.v1} the distinct clients per name, {@code unique.v1} the same with each client under one name at a
 * time, {@code multiple.v1} each client's counts per name plus the unidentified ones. Pure and shared by every engine,
 * so all of them answer the same summary for the same log.
 */
public final class Summaries {
    /** Annotation actions (SPEC TAN2b). */
    public static final int CREATE = 0;

    public static final int DELETE = 1;

    /** The aggregation methods Herald summarises. */
    public static final Set<String> METHODS = Set.of("total.v1", "flag.v1", "distinct.v1", "unique.v1", "multiple.v1");

    /** How many clientIds one summary entry lists; past that it says {@code clipped: true}. */
    public static final int MAX_CLIENT_IDS = 100;

    private Summaries() {}

    /** The aggregation method of an annotation type ({@code reactions:distinct.v1} → {@code distinct.v1}), or null. */
    public static @Nullable String method(@Nullable String type) {
        if (type == null) {
            return null;
        }
        int colon = type.lastIndexOf(':');
        if (colon <= 0 || colon == type.length() - 1) {
            return null;
        }
        String method = type.substring(colon + 1);
        return METHODS.contains(method) ? method : null;
    }

    /** One type's state while folding. */
    private static final class Entry {
        final String method;
        long total;
        /** flag.v1: the clients. */
        final Set<String> clients = new LinkedHashSet<>();
        /** distinct.v1, unique.v1: name → clients. */
        final Map<String, Set<String>> byName = new LinkedHashMap<>();
        /** multiple.v1: name → client → count. */
        final Map<String, Map<String, Long>> counts = new LinkedHashMap<>();
        /** multiple.v1: name → the counts of unidentified clients. */
        final Map<String, Long> unidentified = new LinkedHashMap<>();

        Entry(String method) {
            this.method = method;
        }

        void apply(int action, @Nullable String clientId, @Nullable String name, long count) {
            boolean create = action == CREATE;
            switch (method) {
                case "total.v1" -> total = create ? total + 1 : Math.max(0, total - 1);
                case "flag.v1" -> {
                    if (clientId != null) {
                        if (create) {
                            clients.add(clientId);
                        } else {
                            clients.remove(clientId);
                        }
                    }
                }
                case "distinct.v1", "unique.v1" -> {
                    if (clientId == null) {
                        return;
                    }
                    if (create) {
                        if (name == null) {
                            return;
                        }
                        if (method.equals("unique.v1")) {
                            removeEverywhere(clientId);
                        }
                        byName.computeIfAbsent(name, n -> new LinkedHashSet<>()).add(clientId);
                    } else if (name == null) {
                        removeEverywhere(clientId);
                    } else {
                        Set<String> s = byName.get(name);
                        if (s != null) {
                            s.remove(clientId);
                            if (s.isEmpty()) {
                                byName.remove(name);
                            }
                        }
                    }
                }
                default -> { // multiple.v1
                    if (create) {
                        if (name == null) {
                            return;
                        }
                        if (clientId == null) {
                            unidentified.merge(name, count, Long::sum);
                            counts.computeIfAbsent(name, n -> new LinkedHashMap<>());
                        } else {
                            counts.computeIfAbsent(name, n -> new LinkedHashMap<>())
                                    .merge(clientId, count, Long::sum);
                        }
                    } else if (clientId != null) {
                        var names = counts.entrySet().iterator();
                        while (names.hasNext()) {
                            Map.Entry<String, Map<String, Long>> n = names.next();
                            if (name == null || n.getKey().equals(name)) {
                                n.getValue().remove(clientId);
                                if (n.getValue().isEmpty() && unidentified.getOrDefault(n.getKey(), 0L) == 0) {
                                    names.remove();
                                }
                            }
                        }
                    }
                }
            }
        }

        private void removeEverywhere(String clientId) {
            byName.values().forEach(s -> s.remove(clientId));
            byName.values().removeIf(Set::isEmpty);
        }

        /** The entry as it is read, or {@code null} when nothing is left in it. */
        @Nullable
        JsonNode render() {
            JsonNodeFactory f = JsonNodeFactory.instance;
            switch (method) {
                case "total.v1" -> {
                    if (total == 0) {
                        return null;
                    }
                    return f.objectNode().put("total", total);
                }
                case "flag.v1" -> {
                    return clients.isEmpty() ? null : clientList(clients);
                }
                case "distinct.v1", "unique.v1" -> {
                    if (byName.isEmpty()) {
                        return null;
                    }
                    ObjectNode o = f.objectNode();
                    byName.forEach((n, s) -> o.set(n, clientList(s)));
                    return o;
                }
                default -> {
                    if (counts.isEmpty()) {
                        return null;
                    }
                    ObjectNode o = f.objectNode();
                    counts.forEach((n, c) -> {
                        long unknown = unidentified.getOrDefault(n, 0L);
                        long sum = unknown;
                        ObjectNode ids = f.objectNode();
                        int listed = 0;
                        for (Map.Entry<String, Long> e : c.entrySet()) {
                            sum += e.getValue();
                            if (listed++ < MAX_CLIENT_IDS) {
                                ids.put(e.getKey(), e.getValue());
                            }
                        }
                        ObjectNode v = o.putObject(n);
                        v.put("total", sum);
                        v.set("clientIds", ids);
                        v.put("totalUnidentified", unknown);
                        v.put("clipped", c.size() > MAX_CLIENT_IDS);
                        v.put("totalClientIds", c.size());
                    });
                    return o;
                }
            }
        }

        private static ObjectNode clientList(Set<String> clients) {
            ObjectNode o = JsonNodeFactory.instance.objectNode();
            o.put("total", clients.size());
            var ids = o.putArray("clientIds");
            int listed = 0;
            for (String c : clients) {
                if (listed++ >= MAX_CLIENT_IDS) {
                    break;
                }
                ids.add(c);
            }
            o.put("clipped", clients.size() > MAX_CLIENT_IDS);
            return o;
        }
    }

    /**
     * The summary of a message's annotations, oldest first: an object of annotation type → entry. Annotations of a
     * type Herald does not summarise, and entries left empty by deletes, are not in it.
     */
    public static ObjectNode fold(List<JsonNode> annotations) {
        Map<String, Entry> entries = new LinkedHashMap<>();
        for (JsonNode a : annotations) {
            String type = text(a, "type");
            String method = method(type);
            if (type == null || method == null) {
                continue;
            }
            JsonNode action = a.get("action");
            int act = action != null && action.canConvertToInt() ? action.asInt() : CREATE;
            JsonNode count = a.get("count");
            long n = count != null && count.canConvertToLong() && count.asLong() > 0 ? count.asLong() : 1;
            entries.computeIfAbsent(type, t -> new Entry(method)).apply(act, text(a, "clientId"), text(a, "name"), n);
        }
        ObjectNode summary = JsonNodeFactory.instance.objectNode();
        entries.forEach((type, e) -> {
            JsonNode v = e.render();
            if (v != null) {
                summary.set(type, v);
            }
        });
        return summary;
    }

    private static @Nullable String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v != null && v.isTextual() ? v.asText() : null;
    }

    /** The {@code annotations} object a message is read with: its summary. */
    public static ObjectNode annotationsField(ObjectNode summary) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.set("summary", summary);
        return o;
    }

    /** A message as the log holds it: the original and its annotations, oldest first. */
    public record Annotated(Message original, List<ObjectNode> annotations) {}

    /**
     * The message with {@code serial} and every annotation of it, oldest first, each with its own {@code serial} (its
     * event's position) filled in; {@code null} when the log does not hold the message. Reads the log from the message
     * on, up to {@value Versions#MAX_SCAN} events.
     */
    public static CompletionStage<@Nullable Annotated> read(HistoryStore history, ChannelId channel, String serial) {
        Versions.Located at = Versions.locate(serial);
        if (at == null) {
            return CompletableFuture.completedFuture(null);
        }
        ChannelSerial before =
                new ChannelSerial(at.position().epoch(), at.position().seq() - 1);
        return history.since(channel, before, Versions.MAX_SCAN).thenApply(replay -> {
            List<ChannelEvent> events = replay.events();
            if (!replay.continuous()
                    || events.isEmpty()
                    || events.get(0).seq() != at.position().seq()) {
                return null;
            }
            ChannelEvent first = events.get(0);
            List<Message> messages = first.message().messages;
            if (first.action() != Action.MESSAGE
                    || Versions.isOperationEvent(first)
                    || messages == null
                    || at.index() >= messages.size()) {
                return null;
            }
            List<ObjectNode> out = new ArrayList<>();
            for (int i = 1; i < events.size(); i++) {
                ChannelEvent e = events.get(i);
                ObjectNode a = Versions.annotationOf(e);
                if (a != null && Versions.sameSerial(serial, text(a, "messageSerial"))) {
                    out.add(Versions.withSerial(a, e));
                }
            }
            return new Annotated(messages.get(at.index()), out);
        });
    }
}
