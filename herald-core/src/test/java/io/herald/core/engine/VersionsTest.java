package io.herald.core.engine;

import static io.herald.core.testing.TestEvents.messages;
import static io.herald.core.testing.TestEvents.presence;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.herald.core.config.CoreConfig;
import io.herald.core.config.Limits;
import io.herald.core.config.Timings;
import io.herald.core.engine.memory.MemoryEngine;
import io.herald.core.internal.AblyException;
import io.herald.core.testing.MutableClock;
import io.herald.protocol.Action;
import io.herald.protocol.Message;
import io.herald.protocol.PresenceMessage;
import io.herald.protocol.ProtocolMessage;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The rules of message versions (docs/protocol.md §7.8) on their own: serials, the version object and its checks, how
 * an operation is built and folded (update, delete, append of strings and binary), and the reads over a real
 * in-memory log (every version of a message, history pages and rewinds shown as they stand now).
 */
class VersionsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final MutableClock clock = new MutableClock(1_800_000_000_000L);
    private final MemoryEngine engine = new MemoryEngine(new EngineContext(
            new CoreConfig("test", Limits.DEFAULTS, Timings.DEFAULTS, false, List.of()), clock, "n1", Map.of()));
    private final ChannelId ch = new ChannelId("app", "mutable:v");

    VersionsTest() {
        engine.start(new EngineListener() {
            @Override
            public void onChannelEvent(ChannelEvent event) {}

            @Override
            public void onRevocation(Revocation revocation) {}
        });
    }

    @AfterEach
    void close() {
        engine.close();
    }

    private static JsonNode json(String s) {
        try {
            return JSON.readTree(s);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static <T> T join(CompletionStage<T> stage) {
        return stage.toCompletableFuture().join();
    }

    private static int code(Runnable r) {
        try {
            r.run();
        } catch (AblyException e) {
            return e.error().code();
        }
        throw new AssertionError("no AblyException");
    }

    private static Message op(String serial, int action, Object data, String encoding) {
        Message m = new Message(null, data);
        m.action = action;
        m.serial = serial;
        m.encoding = encoding;
        return m;
    }

    private static Message original(Object data, String encoding) {
        Message m = new Message("n", data);
        m.encoding = encoding;
        m.id = "conn1:0:0";
        m.clientId = "alice";
        m.connectionId = "conn1";
        m.timestamp = 1L;
        m.serial = "e-1:0";
        m.action = Versions.CREATE;
        return m;
    }

    private PublishOutcome publish(ProtocolMessage pm) {
        return join(engine.broker().publish(new PublishRequest(ch, pm, Duration.ofMinutes(2), false)));
    }

    private PublishOutcome publishOp(String serial, int action, String data) {
        Message m = op(serial, action, data, null);
        m.version = Versions.version(null, "editor", clock.millis());
        ProtocolMessage pm = ProtocolMessage.of(Action.MESSAGE, ch.name());
        pm.messages = new ArrayList<>(List.of(m));
        return publish(pm);
    }

    // ---- what is an operation ----

    @Test
    void isOperation_onlyUpdateDeleteAndAppend() {
        assertThat(Versions.isOperation(null)).isFalse();
        Message m = new Message("n", "d");
        assertThat(Versions.isOperation(m)).as("no action").isFalse();
        for (int action : new int[] {Versions.CREATE, 3, 4, 6}) {
            m.action = action;
            assertThat(Versions.isOperation(m)).as("action " + action).isFalse();
        }
        for (int action : new int[] {Versions.UPDATE, Versions.DELETE, Versions.APPEND}) {
            m.action = action;
            assertThat(Versions.isOperation(m)).as("action " + action).isTrue();
        }
    }

    @Test
    void isOperationEvent_exactlyOneOperationMessageOfAMessageEvent() {
        ChannelSerial at = new ChannelSerial("e", 1);
        ProtocolMessage one = ProtocolMessage.of(Action.MESSAGE, "c");
        one.messages = new ArrayList<>(List.of(op("e-1:0", Versions.UPDATE, "x", null)));
        assertThat(Versions.isOperationEvent(new ChannelEvent(ch, at, one))).isTrue();

        ProtocolMessage two = ProtocolMessage.of(Action.MESSAGE, "c");
        two.messages = new ArrayList<>(
                List.of(op("e-1:0", Versions.UPDATE, "x", null), op("e-1:0", Versions.UPDATE, "y", null)));
        assertThat(Versions.isOperationEvent(new ChannelEvent(ch, at, two))).isFalse();

        ProtocolMessage create = messages("c", "plain");
        assertThat(Versions.isOperationEvent(new ChannelEvent(ch, at, create))).isFalse();

        ProtocolMessage none = ProtocolMessage.of(Action.MESSAGE, "c");
        assertThat(Versions.isOperationEvent(new ChannelEvent(ch, at, none))).isFalse();

        ProtocolMessage p = presence("c", PresenceMessage.ENTER, "alice", "conn1");
        p.messages = new ArrayList<>(List.of(op("e-1:0", Versions.UPDATE, "x", null)));
        assertThat(Versions.isOperationEvent(new ChannelEvent(ch, at, p)))
                .as("not a MESSAGE")
                .isFalse();
    }

    // ---- serials ----

    @Test
    void assignSerial_newMessageGetsItsSerial_operationKeepsItsAndGetsAVersionSerial() {
        ChannelSerial at = new ChannelSerial("ep", 7);
        Message created = new Message("n", "d");
        assertThat(Versions.assignSerial(created, at, 2)).isEqualTo("ep-000000000007:002");
        assertThat(created.serial).isEqualTo("ep-000000000007:002");
        assertThat(created.version).isNull();

        Message update = op("ep-3:0", Versions.UPDATE, "d2", null);
        ObjectNode requested = Versions.version(null, "editor", 42L);
        update.version = requested;
        assertThat(Versions.assignSerial(update, at, 0)).isEqualTo("ep-000000000007:000");
        assertThat(update.serial).as("the original's").isEqualTo("ep-3:0");
        assertThat(update.version.get("serial").asText()).isEqualTo("ep-000000000007:000");
        assertThat(update.version.get("clientId").asText()).isEqualTo("editor");
        assertThat(update.version.get("timestamp").asLong()).isEqualTo(42L);
        assertThat(requested.has("serial"))
                .as("the caller's object is copied, not changed")
                .isFalse();

        Message bare = op("ep-3:0", Versions.DELETE, null, null);
        Versions.assignSerial(bare, at, 1);
        assertThat(bare.version.get("serial").asText()).isEqualTo("ep-000000000007:001");
        assertThat(bare.version.size()).isEqualTo(1);

        Message noSerial = op(null, Versions.APPEND, "x", null);
        assertThat(Versions.assignSerial(noSerial, at, 0)).isEqualTo("ep-000000000007:000");
        assertThat(noSerial.serial)
                .as("an operation without a serial is numbered as new")
                .isEqualTo("ep-000000000007:000");
        assertThat(noSerial.version).isNull();
    }

    @Test
    void locate_parsesHeraldSerials_andRefusesEverythingElse() {
        Versions.Located at = Versions.locate("abc1-42:3");
        assertThat(at).isNotNull();
        assertThat(at.position()).isEqualTo(new ChannelSerial("abc1", 42));
        assertThat(at.index()).isEqualTo(3);
        assertThat(Versions.locate("e-1:123456").index())
                .as("six digits of index")
                .isEqualTo(123456);

        for (String bad : new String[] {
            null, "", "e-1", ":0", "e-1:", "e-1:1234567", "e-0:0", "e:0", "-1:0", "e-x:0", "e-1:x", "e-1:-1", "e-1:0:",
        }) {
            assertThat(Versions.locate(bad)).as(String.valueOf(bad)).isNull();
        }
    }

    // ---- the version object ----

    @Test
    void version_timestampClientIdDescriptionAndMetadata() {
        assertThat(Versions.version(null, null, 5L).toString()).isEqualTo("{\"timestamp\":5}");
        assertThat(Versions.version(JsonNodeFactory.instance.nullNode(), "ed", 6L)
                        .toString())
                .isEqualTo("{\"timestamp\":6,\"clientId\":\"ed\"}");

        ObjectNode full = Versions.version(
                json("{\"description\":\"typo\",\"metadata\":{\"a\":\"x\",\"n\":3,\"b\":true},\"clientId\":\"ignored\","
                        + "\"other\":1}"),
                "ed",
                7L);
        assertThat(full.toString())
                .isEqualTo("{\"timestamp\":7,\"clientId\":\"ed\",\"description\":\"typo\","
                        + "\"metadata\":{\"a\":\"x\",\"n\":\"3\",\"b\":\"true\"}}");
        assertThat(Versions.version(json("{\"description\":null,\"metadata\":null}"), null, 8L)
                        .toString())
                .isEqualTo("{\"timestamp\":8}");
    }

    @Test
    void version_wrongTypes_refusedWith40003() {
        for (String bad : new String[] {
            "\"a string\"",
            "[1]",
            "{\"description\":3}",
            "{\"description\":{}}",
            "{\"metadata\":\"m\"}",
            "{\"metadata\":[\"m\"]}",
            "{\"metadata\":{\"k\":{\"nested\":1}}}",
            "{\"metadata\":{\"k\":[1]}}",
            "{\"metadata\":{\"k\":null}}",
        }) {
            assertThatThrownBy(() -> Versions.version(json(bad), "ed", 1L))
                    .as(bad)
                    .isInstanceOfSatisfying(AblyException.class, e -> {
                        assertThat(e.error().code()).isEqualTo(40003);
                        assertThat(e.error().statusCode()).isEqualTo(400);
                        assertThat(e.error().message()).startsWith("Invalid message operation: ");
                    });
        }
    }

    // ---- building an operation ----

    @Test
    void operation_update_mixesTheRequestIntoTheLatestVersion() {
        Message latest = original("old", "utf-8");
        latest.extras = json("{\"headers\":{\"a\":\"1\"}}");
        latest.connectionKey = "secret";
        ObjectNode version = Versions.version(null, "ed", 9L);

        Message keep = Versions.operation(latest, new Message(null, null), Versions.UPDATE, version);
        assertThat(keep.name).isEqualTo("n");
        assertThat(keep.data).isEqualTo("old");
        assertThat(keep.encoding).isEqualTo("utf-8");
        assertThat(keep.extras).isEqualTo(latest.extras);
        assertThat(keep.connectionKey).isNull();
        assertThat(keep.serial).isEqualTo("e-1:0");
        assertThat(keep.action).isEqualTo(Versions.UPDATE);
        assertThat(keep.version).isSameAs(version);
        assertThat(keep.id).isEqualTo("conn1:0:0");
        assertThat(keep.clientId).isEqualTo("alice");

        Message request = new Message("renamed", "new");
        request.extras = json("{\"headers\":{\"b\":\"2\"}}");
        Message replaced = Versions.operation(latest, request, Versions.DELETE, version);
        assertThat(replaced.name).isEqualTo("renamed");
        assertThat(replaced.data).isEqualTo("new");
        assertThat(replaced.encoding)
                .as("the request's encoding goes with its data")
                .isNull();
        assertThat(replaced.extras).isEqualTo(request.extras);
        assertThat(replaced.action).isEqualTo(Versions.DELETE);
        assertThat(latest.data).as("the latest version is not changed").isEqualTo("old");
    }

    @Test
    void operation_append_carriesOnlyWhatIsAppended_withTheMessagesIdentityNameAndExtras() {
        Message latest = original("old", null);
        latest.extras = json("{\"x\":1}");
        Message request = new Message(null, "+more");
        request.encoding = "utf-8";
        request.connectionKey = "k";
        Message m = Versions.operation(latest, request, Versions.APPEND, Versions.version(null, null, 1L));
        assertThat(m.data).isEqualTo("+more");
        assertThat(m.encoding).isEqualTo("utf-8");
        assertThat(m.name)
                .as("the original's name, as ably-js expects on a live append")
                .isEqualTo("n");
        assertThat(m.extras).isEqualTo(json("{\"x\":1}"));
        assertThat(m.id).isEqualTo("conn1:0:0");
        assertThat(m.clientId).isEqualTo("alice");
        assertThat(m.connectionId).isEqualTo("conn1");
        assertThat(m.timestamp).isEqualTo(1L);
        assertThat(m.serial).isEqualTo("e-1:0");
        assertThat(m.action).isEqualTo(Versions.APPEND);
        assertThat(m.connectionKey).isNull();

        Message noData = new Message("only-name", null);
        noData.encoding = "base64";
        Message n = Versions.operation(latest, noData, Versions.APPEND, Versions.version(null, null, 1L));
        assertThat(n.encoding).as("no encoding without data").isNull();
        assertThat(n.name).isEqualTo("only-name");
    }

    // ---- applying operations ----

    @Test
    void apply_updateOrDelete_isTheWholeNewVersion() {
        Message current = original("a", null);
        Message update = op("e-1:0", Versions.UPDATE, "b", null);
        assertThat(Versions.apply(current, update)).isSameAs(update);
        Message delete = op("e-1:0", Versions.DELETE, null, null);
        assertThat(Versions.apply(current, delete)).isSameAs(delete);
        Message noAction = new Message(null, "c");
        assertThat(Versions.apply(current, noAction)).isSameAs(noAction);
    }

    @Test
    void apply_appendOfStrings_joinsAndReadsBackAsAnUpdate() {
        Message current = original("hello", null);
        current.extras = json("{\"e\":1}");
        Message append = op("e-1:0", Versions.APPEND, ", world", null);
        append.version = json("{\"serial\":\"e-2:0\"}");
        Message after = Versions.apply(current, append);
        assertThat(after.data).isEqualTo("hello, world");
        assertThat(after.encoding).isNull();
        assertThat(after.name).as("kept without a new name").isEqualTo("n");
        assertThat(after.extras).isEqualTo(json("{\"e\":1}"));
        assertThat(after.action).isEqualTo(Versions.UPDATE);
        assertThat(after.version).isSameAs(append.version);
        assertThat(after.serial).isEqualTo("e-1:0");
        assertThat(current.data).as("not changed in place").isEqualTo("hello");

        Message renamed = op("e-1:0", Versions.APPEND, "!", "utf-8");
        renamed.name = "new-name";
        renamed.extras = json("{\"e\":2}");
        Message next = Versions.apply(after, renamed);
        assertThat(next.data).isEqualTo("hello, world!");
        assertThat(next.encoding)
                .as("the appended encoding when the message had none")
                .isEqualTo("utf-8");
        assertThat(next.name).isEqualTo("new-name");
        assertThat(next.extras).isEqualTo(json("{\"e\":2}"));

        Message utf8 = original("x", "utf-8");
        assertThat(Versions.apply(utf8, op("e-1:0", Versions.APPEND, "y", "")).encoding)
                .isEqualTo("utf-8");
    }

    @Test
    void apply_appendWithoutData_orOntoNoData() {
        Message current = original("keep", null);
        Message nameOnly = op("e-1:0", Versions.APPEND, null, null);
        nameOnly.name = "renamed";
        Message after = Versions.apply(current, nameOnly);
        assertThat(after.data).isEqualTo("keep");
        assertThat(after.name).isEqualTo("renamed");

        Message empty = original(null, null);
        Message first = Versions.apply(empty, op("e-1:0", Versions.APPEND, "AQI=", "base64"));
        assertThat(first.data).isEqualTo("AQI=");
        assertThat(first.encoding).isEqualTo("base64");
    }

    @Test
    void apply_appendOfBinary_joinsBytes_base64OverJsonCountsAsBinary() {
        byte[] ab = {1, 2};
        byte[] cd = {3, 4};
        String b64ab = Base64.getEncoder().encodeToString(ab);
        String b64cd = Base64.getEncoder().encodeToString(cd);

        Message raw = Versions.apply(original(ab, null), op("e-1:0", Versions.APPEND, cd, null));
        assertThat(raw.data).isEqualTo(new byte[] {1, 2, 3, 4});
        assertThat(raw.encoding).isNull();

        Message rawThenBase64 = Versions.apply(original(ab, ""), op("e-1:0", Versions.APPEND, b64cd, "base64"));
        assertThat(rawThenBase64.data).isEqualTo(new byte[] {1, 2, 3, 4});
        assertThat(rawThenBase64.encoding).isNull();

        Message base64 = Versions.apply(original(b64ab, "base64"), op("e-1:0", Versions.APPEND, b64cd, "base64"));
        assertThat(base64.data).isEqualTo(Base64.getEncoder().encodeToString(new byte[] {1, 2, 3, 4}));
        assertThat(base64.encoding).isEqualTo("base64");

        Message base64ThenRaw = Versions.apply(original(b64ab, "base64"), op("e-1:0", Versions.APPEND, cd, null));
        assertThat(base64ThenRaw.data).isEqualTo(Base64.getEncoder().encodeToString(new byte[] {1, 2, 3, 4}));
        assertThat(base64ThenRaw.encoding).isEqualTo("base64");
    }

    @Test
    void apply_appendThatCannotBeJoined_refusedWith40013() {
        byte[] bytes = "ab".getBytes(StandardCharsets.UTF_8);
        Object[][] refused = {
            {bytes, null, "c", null, "binary", "a string"},
            {"a", null, bytes, null, "a string", "binary"},
            {"{\"a\":1}", "json", "x", null, "a string with encoding json", "a string"},
            {"a", null, "{\"b\":2}", "json", "a string", "a string with encoding json"},
            {"not base64!", "base64", "x", null, "a string with encoding base64", "a string"},
            {"a", "utf-8/base64", "b", null, "a string with encoding utf-8/base64", "a string"},
            {bytes, "cipher", bytes, null, "binary with encoding cipher", "binary"},
        };
        for (Object[] r : refused) {
            Message current = original(r[0], (String) r[1]);
            Message append = op("e-1:0", Versions.APPEND, r[2], (String) r[3]);
            assertThatThrownBy(() -> Versions.apply(current, append))
                    .as(current.data + "/" + current.encoding + " + " + append.data + "/" + append.encoding)
                    .isInstanceOfSatisfying(AblyException.class, e -> {
                        assertThat(e.error().code()).isEqualTo(40013);
                        assertThat(e.error().statusCode()).isEqualTo(400);
                        assertThat(e.error().message())
                                .contains("the appended data (" + r[5] + ")")
                                .contains("the message's data (" + r[4] + ")");
                    });
        }
    }

    @Test
    void fold_everyVersionInOrder_appendJoinsOntoTheUpdate() {
        Message original = original("a", null);
        Message update = op("e-1:0", Versions.UPDATE, "b", null);
        update.name = "n2";
        Message append = op("e-1:0", Versions.APPEND, "c", null);
        Message delete = op("e-1:0", Versions.DELETE, "", null);
        List<Message> versions = Versions.fold(original, List.of(update, append, delete));
        assertThat(versions).extracting(m -> m.data).containsExactly("a", "b", "bc", "");
        assertThat(versions)
                .extracting(m -> m.action)
                .containsExactly(Versions.CREATE, Versions.UPDATE, Versions.UPDATE, Versions.DELETE);
        assertThat(versions.get(2).name)
                .as("the append keeps the update's name")
                .isEqualTo("n2");
        assertThat(versions.get(0)).isSameAs(original);
        assertThat(Versions.fold(original, List.of())).containsExactly(original);
    }

    // ---- reading the log ----

    @Test
    void read_everyVersionOfOneMessage_onlyItsOwnOperations() {
        PublishOutcome created = publish(messages(ch.name(), "a", "b"));
        String first = created.serials().get(0);
        String second = created.serials().get(1);
        String v1 = publishOp(first, Versions.UPDATE, "a1").serials().get(0);
        publishOp(second, Versions.APPEND, "+").serials().get(0);
        publish(messages(ch.name(), "c"));
        publishOp(first, Versions.APPEND, "+x");

        List<Message> firstVersions = join(engine.history().versions(ch, first));
        assertThat(firstVersions).extracting(m -> m.data).containsExactly("a", "a1", "a1+x");
        assertThat(firstVersions.get(1).version.get("serial").asText()).isEqualTo(v1);
        assertThat(join(engine.history().versions(ch, second)))
                .extracting(m -> m.data)
                .containsExactly("b", "b+");
    }

    @Test
    void read_serialsThatAreNotAMessage_areEmpty() {
        PublishOutcome created = publish(messages(ch.name(), "a"));
        String serial = created.serials().get(0);
        String opSerial = publishOp(serial, Versions.UPDATE, "b").serials().get(0);
        ChannelSerial position = Versions.locate(serial).position();
        PublishOutcome presence = publish(presence(ch.name(), PresenceMessage.ENTER, "alice", "conn1"));

        assertThat(join(Versions.read(engine.history(), ch, "not-a-serial"))).isEmpty();
        assertThat(join(Versions.read(engine.history(), ch, position.messageSerial(1))))
                .as("index past the event's messages")
                .isEmpty();
        assertThat(join(Versions.read(engine.history(), ch, opSerial)))
                .as("an operation is not a message")
                .isEmpty();
        assertThat(join(Versions.read(engine.history(), ch, presence.serial().messageSerial(0))))
                .as("a presence event")
                .isEmpty();
        assertThat(join(Versions.read(engine.history(), ch, new ChannelSerial(position.epoch(), 99).messageSerial(0))))
                .as("past the end of the log")
                .isEmpty();
        assertThat(join(Versions.read(engine.history(), ch, "other0-1:0")))
                .as("another epoch")
                .isEmpty();
        assertThat(join(Versions.read(engine.history(), ch, serial)))
                .extracting(m -> m.data)
                .containsExactly("a", "b");
    }

    @Test
    void latest_historyPage_eachMessageAsItStandsNow_untouchedWhenNothingChanged() {
        String first = publish(messages(ch.name(), "one")).serials().get(0);
        publish(messages(ch.name(), "two"));
        HistoryQuery q = new HistoryQuery(HistoryQuery.Kind.MESSAGES, null, null, 100, false, null, null);

        HistoryPage before = join(engine.history().query(ch, q));
        assertThat(join(Versions.latest(engine.history(), ch, before)))
                .as("no operations: the same page")
                .isSameAs(before);

        publishOp(first, Versions.UPDATE, "one, edited");
        publishOp(first, Versions.APPEND, "!");
        HistoryPage raw = join(engine.history().query(ch, q));
        HistoryPage page = join(Versions.latest(engine.history(), ch, raw));
        assertThat(page.items()).extracting(i -> ((Message) i.item()).data).containsExactly("two", "one, edited!");
        assertThat(page.items())
                .extracting(HistoryItem::cursor)
                .isEqualTo(raw.items().stream().map(HistoryItem::cursor).toList());
        assertThat(page.items().get(0))
                .as("an unchanged item is kept")
                .isSameAs(raw.items().get(0));
        assertThat(page.hasMore()).isEqualTo(raw.hasMore());

        HistoryPage limited = join(engine.history()
                .query(ch, new HistoryQuery(HistoryQuery.Kind.MESSAGES, null, null, 1, true, null, null)));
        assertThat(limited.hasMore()).isTrue();
        HistoryPage limitedLatest = join(Versions.latest(engine.history(), ch, limited));
        assertThat(limitedLatest.hasMore()).isTrue();
        assertThat(((Message) limitedLatest.items().get(0).item()).data).isEqualTo("one, edited!");

        HistoryPage presencePage = join(engine.history()
                .query(ch, new HistoryQuery(HistoryQuery.Kind.PRESENCE, null, null, 100, false, null, null)));
        assertThat(join(Versions.latest(engine.history(), ch, presencePage)))
                .as("no messages: the same page")
                .isSameAs(presencePage);
        HistoryPage unknown =
                new HistoryPage(List.of(new HistoryItem(new HistoryQuery.Cursor(1, 0), new Message("x", "y"))), false);
        assertThat(join(Versions.latest(engine.history(), ch, unknown))).isSameAs(unknown);
    }

    @Test
    void latest_rewind_leavesOperationsOut_andRebuildsOnlyChangedEvents() {
        Replay empty = join(engine.history().rewind(ch, 10, 0));
        assertThat(join(Versions.latest(engine.history(), ch, empty))).isSameAs(empty);

        ProtocolMessage createdPm = messages(ch.name(), "one", "keep");
        PublishOutcome created = publish(createdPm);
        String first = created.serials().get(0);
        publish(messages(ch.name(), "two"));
        publish(presence(ch.name(), PresenceMessage.ENTER, "alice", "conn1"));
        publishOp(first, Versions.UPDATE, "one, edited");

        Replay rewind = join(engine.history().rewind(ch, 10, 0));
        assertThat(join(Versions.latest(engine.history(), ch, rewind)).events())
                .extracting(e -> e.message().messages.get(0).data)
                .containsExactly("one, edited", "two");

        // a replay with everything the log holds: the operation and a presence event among the messages
        Replay raw = join(
                engine.history().since(ch, new ChannelSerial(created.serial().epoch(), 0), 100));
        assertThat(raw.events()).hasSize(4);
        Replay latest = join(Versions.latest(engine.history(), ch, raw));
        assertThat(latest.events()).hasSize(3);
        assertThat(latest.continuous()).isEqualTo(raw.continuous());
        assertThat(latest.position()).isEqualTo(raw.position());

        ChannelEvent changed = latest.events().get(0);
        ChannelEvent was = raw.events().get(0);
        assertThat(changed.message().messages).extracting(m -> m.data).containsExactly("one, edited", "keep");
        assertThat(changed.message().messages.get(0).serial).isEqualTo(first);
        assertThat(changed.serial()).isEqualTo(was.serial());
        assertThat(changed.channel()).isEqualTo(ch);
        assertThat(changed.message().channel).isEqualTo(was.message().channel);
        assertThat(changed.message().id).isEqualTo(was.message().id);
        assertThat(changed.message().channelSerial).isEqualTo(was.message().channelSerial);
        assertThat(changed.message().connectionId).isEqualTo("conn1");
        assertThat(changed.message().timestamp).isEqualTo(was.message().timestamp);
        assertThat(latest.events().get(1)).as("unchanged").isSameAs(raw.events().get(1));
        assertThat(latest.events().get(2)).as("presence").isSameAs(raw.events().get(2));
    }
}
