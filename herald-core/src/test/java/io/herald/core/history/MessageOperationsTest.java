package io.herald.core.history;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.herald.auth.Capability;
import io.herald.core.channel.ChannelName;
import io.herald.core.channel.ChannelPolicy;
import io.herald.core.channel.MessageRules;
import io.herald.core.config.AppConfig;
import io.herald.core.config.CoreConfig;
import io.herald.core.config.Limits;
import io.herald.core.config.NamespaceConfig;
import io.herald.core.config.Timings;
import io.herald.core.engine.ChannelEvent;
import io.herald.core.engine.ChannelId;
import io.herald.core.engine.EngineContext;
import io.herald.core.engine.EngineListener;
import io.herald.core.engine.PublishOutcome;
import io.herald.core.engine.PublishRequest;
import io.herald.core.engine.Revocation;
import io.herald.core.engine.Versions;
import io.herald.core.engine.memory.MemoryEngine;
import io.herald.core.internal.AblyException;
import io.herald.core.testing.MutableClock;
import io.herald.protocol.Action;
import io.herald.protocol.ErrorInfo;
import io.herald.protocol.Message;
import io.herald.protocol.ProtocolMessage;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The checks and the publish of an update, delete or append (docs/protocol.md §7.8) on a real in-memory engine: the
 * capability rules ({@code -own} against {@code -any}, anonymous callers), the mutable namespace, the serial, the
 * size limit, and what is published (the original serial, a version with the caller's metadata).
 */
class MessageOperationsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_SIZE = 1024;

    private final MutableClock clock = new MutableClock(1_800_000_000_000L);
    private final AppConfig app = new AppConfig(
            "app",
            List.of(),
            List.of(
                    new NamespaceConfig("mutable", false, false, true),
                    new NamespaceConfig("plain", true, false, false)),
            List.of());
    private final MemoryEngine engine = new MemoryEngine(new EngineContext(
            new CoreConfig("test", Limits.DEFAULTS, Timings.DEFAULTS, false, List.of(app)), clock, "n1", Map.of()));
    private final ChannelPolicy policy = new ChannelPolicy(id -> id.equals("app") ? app : null, Timings.DEFAULTS);
    private final List<ChannelEvent> delivered = new ArrayList<>();
    private final ChannelName channel = ChannelName.parse("mutable:room");
    private final ChannelId id = new ChannelId("app", "mutable:room");
    private int created;

    MessageOperationsTest() {
        engine.start(new EngineListener() {
            @Override
            public void onChannelEvent(ChannelEvent event) {
                delivered.add(event);
            }

            @Override
            public void onRevocation(Revocation revocation) {}
        });
        engine.broker().subscribe(id).toCompletableFuture().join();
    }

    @AfterEach
    void close() {
        engine.close();
    }

    /** A caller with this clientId ({@code null}: anonymous) and this capability on every channel. */
    private static MessageOperations.Caller caller(String clientId, String... operations) {
        Capability cap = Capability.of(Map.of("*", List.of(operations)));
        return new MessageOperations.Caller(
                new MessageRules.Publisher("conn-" + clientId, clientId, false),
                op -> cap.allows("mutable:room", op),
                "conn-" + clientId);
    }

    /** Publishes a new message by {@code clientId} and answers its serial. */
    private String create(String clientId, String data) {
        Message m = new Message("greeting", data);
        m.clientId = clientId;
        m.id = "orig:" + ++created;
        m.action = Versions.CREATE;
        ProtocolMessage pm = ProtocolMessage.of(Action.MESSAGE, id.name());
        pm.messages = new ArrayList<>(List.of(m));
        PublishOutcome o = engine.broker()
                .publish(new PublishRequest(id, pm, Duration.ofMinutes(2), false))
                .toCompletableFuture()
                .join();
        return o.serials().get(0);
    }

    private static Message request(int action, String serial, Object data) {
        Message m = new Message(null, data);
        m.action = action;
        m.serial = serial;
        return m;
    }

    private CompletionStage<PublishOutcome> perform(
            ChannelName name, List<Message> messages, MessageOperations.Caller caller, int maxSize) {
        return MessageOperations.perform(
                engine, policy, "app", name, messages, caller, maxSize, clock.millis(), "event-1");
    }

    private PublishOutcome perform(Message request, MessageOperations.Caller caller) {
        return perform(channel, List.of(request), caller, MAX_SIZE)
                .toCompletableFuture()
                .join();
    }

    /** The error of a refused operation, thrown at once or failing the stage. */
    private static ErrorInfo refused(Supplier<CompletionStage<?>> op) {
        try {
            op.get().toCompletableFuture().join();
        } catch (AblyException e) {
            return e.error();
        } catch (CompletionException e) {
            if (e.getCause() instanceof AblyException a) {
                return a.error();
            }
            throw e;
        }
        throw new AssertionError("the operation was not refused");
    }

    private ErrorInfo refused(Message request, MessageOperations.Caller caller) {
        return refused(() -> perform(channel, List.of(request), caller, MAX_SIZE));
    }

    private List<Message> versions(String serial) {
        return engine.history().versions(id, serial).toCompletableFuture().join();
    }

    @Test
    void carriesOperation_anyMessageWithAnOperationAction() {
        assertThat(MessageOperations.carriesOperation(null)).isFalse();
        assertThat(MessageOperations.carriesOperation(List.of())).isFalse();
        assertThat(MessageOperations.carriesOperation(List.of(new Message("a", "b"))))
                .isFalse();
        assertThat(MessageOperations.carriesOperation(
                        List.of(new Message("a", "b"), request(Versions.APPEND, "s", "x"))))
                .isTrue();
        assertThat(MessageOperations.carriesOperation(List.of(request(Versions.CREATE, "s", "x"))))
                .isFalse();
    }

    @Test
    void update_withUpdateAny_publishesTheNewVersionWithTheOriginalSerial() throws Exception {
        String serial = create("alice", "hello");
        delivered.clear();
        Message update = request(Versions.UPDATE, serial, "hello, edited");
        update.version = JSON.readTree("{\"description\":\"typo\",\"metadata\":{\"why\":\"spelling\"}}");
        PublishOutcome o = perform(update, caller("bob", "message-update-any"));

        assertThat(o.serials()).hasSize(1);
        String versionSerial = o.serials().get(0);
        assertThat(Versions.locate(versionSerial).position().seq())
                .isGreaterThan(Versions.locate(serial).position().seq());
        assertThat(delivered).hasSize(1);
        ProtocolMessage event = delivered.get(0).message();
        assertThat(event.id).isEqualTo("event-1");
        assertThat(event.connectionId).isEqualTo("conn-bob");
        assertThat(event.timestamp).isEqualTo(clock.millis());
        Message m = event.messages.get(0);
        assertThat(m.serial).isEqualTo(serial);
        assertThat(m.action).isEqualTo(Versions.UPDATE);
        assertThat(m.data).isEqualTo("hello, edited");
        assertThat(m.name).as("kept from the original").isEqualTo("greeting");
        assertThat(m.clientId).as("the original publisher's").isEqualTo("alice");
        assertThat(m.id).isEqualTo("orig:1");
        assertThat(m.version.get("serial").asText()).isEqualTo(versionSerial);
        assertThat(m.version.get("clientId").asText()).as("the caller's").isEqualTo("bob");
        assertThat(m.version.get("timestamp").asLong()).isEqualTo(clock.millis());
        assertThat(m.version.get("description").asText()).isEqualTo("typo");
        assertThat(m.version.get("metadata").get("why").asText()).isEqualTo("spelling");

        assertThat(versions(serial)).extracting(v -> v.data).containsExactly("hello", "hello, edited");
    }

    @Test
    void ownCapability_allowsTheCallersOwnMessagesOnly() {
        String mine = create("alice", "mine");
        String theirs = create("bob", "theirs");
        String anonymous = create(null, "nobody's");
        MessageOperations.Caller alice = caller("alice", "message-update-own", "message-delete-own");

        assertThat(perform(request(Versions.UPDATE, mine, "mine2"), alice).serials())
                .hasSize(1);
        assertThat(perform(request(Versions.APPEND, mine, "+"), alice).serials())
                .hasSize(1);
        assertThat(perform(request(Versions.DELETE, mine, null), alice).serials())
                .hasSize(1);
        assertThat(versions(mine))
                .extracting(v -> v.action)
                .containsExactly(Versions.CREATE, Versions.UPDATE, Versions.UPDATE, Versions.DELETE);

        ErrorInfo other = refused(request(Versions.UPDATE, theirs, "x"), alice);
        assertThat(other.code()).isEqualTo(40160);
        assertThat(other.statusCode()).isEqualTo(401);
        assertThat(other.message()).contains("clientId 'alice'", "published by 'bob'", "message-update-any");
        ErrorInfo anon = refused(request(Versions.DELETE, anonymous, null), alice);
        assertThat(anon.code()).isEqualTo(40160);
        assertThat(anon.message()).contains("an anonymous client", "message-delete-any");
        assertThat(versions(theirs)).hasSize(1);
    }

    @Test
    void capabilities_updateAndDeleteAreSeparate_appendNeedsUpdate() {
        String serial = create("alice", "x");
        MessageOperations.Caller deleter = caller("bob", "message-delete-any");
        MessageOperations.Caller updater = caller("bob", "message-update-any", "publish");

        ErrorInfo update = refused(request(Versions.UPDATE, serial, "y"), deleter);
        assertThat(update.code()).isEqualTo(40160);
        assertThat(update.message())
                .contains("Unable to update message", "'message-update-own' nor 'message-update-any'")
                .contains("'mutable:room'");
        ErrorInfo append = refused(request(Versions.APPEND, serial, "y"), deleter);
        assertThat(append.code()).isEqualTo(40160);
        assertThat(append.message()).contains("Unable to append to message");
        ErrorInfo delete = refused(request(Versions.DELETE, serial, null), updater);
        assertThat(delete.code()).isEqualTo(40160);
        assertThat(delete.message()).contains("Unable to delete message", "'message-delete-any'");
        ErrorInfo publishOnly = refused(request(Versions.UPDATE, serial, "y"), caller("alice", "publish"));
        assertThat(publishOnly.code())
                .as("publish is not enough, even for one's own")
                .isEqualTo(40160);

        assertThat(perform(request(Versions.DELETE, serial, null), deleter).serials())
                .hasSize(1);
        assertThat(perform(request(Versions.APPEND, serial, "z"), updater).serials())
                .hasSize(1);
    }

    @Test
    void anonymousCaller_withOnlyTheOwnForm_40166_withTheAnyForm_allowed() {
        String serial = create(null, "anon");
        ErrorInfo e = refused(request(Versions.UPDATE, serial, "y"), caller(null, "message-update-own"));
        assertThat(e.code()).isEqualTo(40166);
        assertThat(e.statusCode()).isEqualTo(401);
        assertThat(e.message()).contains("'message-update-any'");
        assertThat(refused(request(Versions.DELETE, serial, null), caller(null, "message-delete-own"))
                        .code())
                .isEqualTo(40166);
        assertThat(refused(request(Versions.DELETE, serial, null), caller(null, "message-update-own"))
                        .code())
                .as("no capability for a delete at all")
                .isEqualTo(40160);

        PublishOutcome o = perform(request(Versions.UPDATE, serial, "y"), caller(null, "message-update-any"));
        assertThat(o.serials()).hasSize(1);
        List<Message> versions = versions(serial);
        assertThat(versions.get(1).version.has("clientId"))
                .as("an anonymous caller")
                .isFalse();
    }

    @Test
    void unknownSerial_40400_afterTheOtherChecks() {
        create("alice", "x");
        MessageOperations.Caller any = caller("alice", "message-update-any");
        for (String serial : new String[] {
            "nothing-1:0",
            "not a serial",
            Versions.locate(create("a", "y")).position().messageSerial(5)
        }) {
            ErrorInfo e = refused(request(Versions.UPDATE, serial, "z"), any);
            assertThat(e.code()).as(serial).isEqualTo(40400);
            assertThat(e.statusCode()).isEqualTo(404);
            assertThat(e.message()).contains("'" + serial + "'", "'mutable:room'");
        }
    }

    @Test
    void notAMutableNamespace_93002() {
        MessageOperations.Caller any = caller("alice", "message-update-any");
        for (String name : new String[] {"plain:room", "other:room", "room"}) {
            ErrorInfo e = refused(() ->
                    perform(ChannelName.parse(name), List.of(request(Versions.UPDATE, "e-1:0", "z")), any, MAX_SIZE));
            assertThat(e.code()).as(name).isEqualTo(93002);
            assertThat(e.statusCode()).isEqualTo(400);
            assertThat(e.message()).contains("'" + name + "'");
        }
        ErrorInfo unknownApp = refused(() -> MessageOperations.perform(
                engine,
                policy,
                "nope",
                channel,
                List.of(request(Versions.UPDATE, "e-1:0", "z")),
                any,
                MAX_SIZE,
                0L,
                null));
        assertThat(unknownApp.code()).isEqualTo(93002);
    }

    @Test
    void malformedRequests_refusedBeforeAnythingIsRead() {
        MessageOperations.Caller any = caller("alice", "message-update-any", "message-delete-any");
        ErrorInfo two = refused(() -> perform(
                channel,
                List.of(request(Versions.UPDATE, "e-1:0", "a"), request(Versions.UPDATE, "e-1:0", "b")),
                any,
                MAX_SIZE));
        assertThat(two.code()).isEqualTo(40000);
        assertThat(two.message()).contains("got 2");

        for (String serial : new String[] {null, ""}) {
            ErrorInfo e = refused(request(Versions.DELETE, serial, null), any);
            assertThat(e.code()).isEqualTo(40003);
            assertThat(e.message()).isEqualTo("Unable to delete message: no serial");
        }
        for (Integer action : new Integer[] {null, Versions.CREATE, 3, 4}) {
            Message m = request(Versions.UPDATE, "e-1:0", "a");
            m.action = action;
            ErrorInfo e = refused(m, any);
            assertThat(e.code()).as("action " + action).isEqualTo(40003);
            assertThat(e.message()).startsWith("Invalid message action " + action);
        }
        ErrorInfo derived = refused(() -> perform(
                ChannelName.parse("[filter="
                        + Base64.getEncoder().encodeToString("name == 'a'".getBytes(StandardCharsets.UTF_8))
                        + "]mutable:room"),
                List.of(request(Versions.UPDATE, "e-1:0", "a")),
                any,
                MAX_SIZE));
        assertThat(derived.code()).isEqualTo(40000);
        assertThat(derived.message()).contains("derived (filtered) channel");
    }

    @Test
    void versionFields_checked_andTheVersionClientIdMustBeTheCallers() throws Exception {
        String serial = create("alice", "x");
        MessageOperations.Caller alice = caller("alice", "message-update-any");

        Message badDescription = request(Versions.UPDATE, serial, "y");
        badDescription.version = JSON.readTree("{\"description\":1}");
        assertThat(refused(badDescription, alice).code()).isEqualTo(40003);

        Message otherClient = request(Versions.UPDATE, serial, "y");
        otherClient.version = JSON.readTree("{\"clientId\":\"mallory\"}");
        ErrorInfo e = refused(otherClient, alice);
        assertThat(e.code()).isEqualTo(40012);
        assertThat(e.message()).contains("'mallory'", "'alice'");

        Message sameClient = request(Versions.UPDATE, serial, "y");
        sameClient.version = JSON.readTree("{\"clientId\":\"alice\",\"description\":\"d\"}");
        perform(sameClient, alice);
        Message notText = request(Versions.UPDATE, serial, "z");
        notText.version = JSON.readTree("{\"clientId\":7}");
        perform(notText, alice);
        List<Message> versions = versions(serial);
        assertThat(versions).extracting(v -> v.data).containsExactly("x", "y", "z");
        assertThat(versions.get(1).version.get("clientId").asText()).isEqualTo("alice");
        assertThat(versions.get(1).version.get("description").asText()).isEqualTo("d");
        assertThat(versions.get(2).version.get("clientId").asText())
                .as("a clientId that is not a string is the caller's")
                .isEqualTo("alice");
        assertThat(delivered).hasSize(3);
    }

    @Test
    void sizeLimit_40009_forTheRequestAndForTheMessageItWouldMake() {
        String serial = create("alice", "x".repeat(300));
        MessageOperations.Caller alice = caller("alice", "message-update-any");

        ErrorInfo big =
                refused(() -> perform(channel, List.of(request(Versions.UPDATE, serial, "y".repeat(600))), alice, 500));
        assertThat(big.code()).isEqualTo(40009);
        assertThat(big.statusCode()).isEqualTo(413);

        ErrorInfo joined =
                refused(() -> perform(channel, List.of(request(Versions.APPEND, serial, "z".repeat(300))), alice, 500));
        assertThat(joined.code()).as("300 + 300 characters once appended").isEqualTo(40009);

        ErrorInfo kept = refused(() -> perform(channel, List.of(request(Versions.UPDATE, serial, null)), alice, 300));
        assertThat(kept.code())
                .as("the update keeps the 300 characters of data")
                .isEqualTo(40009);

        assertThat(perform(channel, List.of(request(Versions.APPEND, serial, "z".repeat(50))), alice, 500)
                        .toCompletableFuture()
                        .join()
                        .serials())
                .hasSize(1);
        assertThat(versions(serial)).hasSize(2);
    }

    @Test
    void appendThatCannotBeJoined_40013_andNothingIsPublished() {
        String serial = create("alice", "text");
        delivered.clear();
        ErrorInfo e =
                refused(request(Versions.APPEND, serial, new byte[] {1, 2}), caller("alice", "message-update-any"));
        assertThat(e.code()).isEqualTo(40013);
        assertThat(delivered).isEmpty();
    }
}
