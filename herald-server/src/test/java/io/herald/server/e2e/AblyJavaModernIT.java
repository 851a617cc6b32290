package io.herald.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import io.ably.lib.realtime.AblyRealtime;
import io.ably.lib.realtime.Channel;
import io.ably.lib.rest.AblyRest;
import io.ably.lib.rest.Auth;
import io.ably.lib.types.AblyException;
import io.ably.lib.types.Annotation;
import io.ably.lib.types.ClientOptions;
import io.ably.lib.types.ErrorInfo;
import io.ably.lib.types.Message;
import io.ably.lib.types.MessageAction;
import io.ably.lib.types.MessageOperation;
import io.ably.lib.types.PaginatedResult;
import io.ably.lib.types.Param;
import io.ably.lib.types.PublishResponse;
import io.ably.lib.types.Stats;
import io.ably.lib.types.Summary;
import io.ably.lib.types.SummaryClientIdList;
import io.herald.server.e2e.support.AblyJava;
import io.herald.server.e2e.support.Http;
import io.herald.server.e2e.support.TestServer;
import io.herald.server.e2e.support.WireFormat;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The official Java SDK, ably-java 1.5.0, on the features it has beyond plain pub/sub: mutable messages (docs/protocol.md
 * §7.8) over REST with a realtime subscriber, annotations and their summaries (§7.10), {@code rest.stats()} (§10.6)
 * and {@code publishBatch} (§10.7). ably-js covers the same features elsewhere; this class checks that a second,
 * independently written client reads and writes the same frames, over JSON and msgpack, on the in-memory engine and
 * on the Redis engine (a redis-server of its own). ably-java 1.5.0 speaks the older forms (its updateMessage and
 * deleteMessage requests, the nested Stats and the flat batch results of X-Ably-Version 2), which Herald answers too.
 */
class AblyJavaModernIT {
    private static final String MUTABLE_NAMESPACE =
            "    namespaces:\n      - id: mutable\n        mutableMessages: true\n";
    private static final String DISTINCT = "reactions:distinct.v1";

    @RegisterExtension
    static final TestServer memory = TestServer.perClass(MUTABLE_NAMESPACE);

    @RegisterExtension
    static final TestServer redis = TestServer.perClassOnRedis(MUTABLE_NAMESPACE);

    static Stream<Arguments> enginesAndFormats() {
        return TestServer.withFormats(memory, redis);
    }

    private static AblyRest rest(TestServer server, WireFormat f) {
        return AblyJava.rest(AblyJava.withKey(server, f.binary(), server.full.keyString()));
    }

    /** A client identified as {@code clientId}: a token from the full key, which ably-java requests itself. */
    private static ClientOptions identified(TestServer server, WireFormat f, String clientId) {
        ClientOptions o = AblyJava.withKey(server, f.binary(), server.full.keyString());
        o.clientId = clientId;
        o.useTokenAuth = true;
        return o;
    }

    /** A realtime client attached to {@code channel}, every message it gets put in {@code into}. */
    private static AblyRealtime subscriber(ClientOptions o, String channel, BlockingQueue<Message> into)
            throws AblyException {
        AblyRealtime rt = AblyJava.connect(o);
        Channel ch = rt.channels.get(channel);
        ch.subscribe(into::add);
        AblyJava.attach(ch);
        return rt;
    }

    private static Message next(BlockingQueue<Message> q, String what) throws InterruptedException {
        Message m = q.poll(AblyJava.WAIT.toMillis(), TimeUnit.MILLISECONDS);
        if (m == null) {
            throw new AssertionError("timed out after " + AblyJava.WAIT + " waiting for " + what);
        }
        return m;
    }

    /** What a summary says of {@code name} in a {@code distinct.v1} type. */
    private static SummaryClientIdList distinct(Message summary, String name) {
        assertThat(summary.annotations).as("annotations of %s", summary).isNotNull();
        JsonObject entry = summary.annotations.summary.get(DISTINCT);
        assertThat(entry).as("summary of %s", DISTINCT).isNotNull();
        return Summary.asSummaryDistinctV1(entry).get(name);
    }

    private static Annotation reaction(String name) {
        Annotation a = new Annotation();
        a.type = DISTINCT;
        a.name = name;
        return a;
    }

    /**
     * Changes a message the way docs/protocol.md §7.8 describes ({@code PATCH …/messages/{serial}} with an
     * {@code action}), for the cases where ably-java 1.5.0's own {@code updateMessage} cannot (see below).
     */
    private static void patch(TestServer server, String channel, String serial, String json) {
        Http.Response r = Http.send(Http.request(server.uri(
                        "/channels/" + channel + "/messages/" + URLEncoder.encode(serial, StandardCharsets.UTF_8)))
                .method("PATCH", HttpRequest.BodyPublishers.ofString(json))
                .header("Content-Type", "application/json")
                .header("Authorization", Http.basic(server.full))
                .build());
        assertThat(r.status()).as("%s", r).isEqualTo(200);
    }

    @ParameterizedTest(autoCloseArguments = false) // the servers are per class, closed after all cases
    @MethodSource("enginesAndFormats")
    void ablyJava_readsUpdatesAndDeletes_originalSerialActionVersionsAndLatestInHistory(TestServer server, WireFormat f)
            throws Exception {
        String channel = "mutable:java-" + f;
        AblyRest rest = rest(server, f);
        BlockingQueue<Message> seen = new LinkedBlockingQueue<>();
        AblyRealtime rt = subscriber(AblyJava.withKey(server, f.binary(), server.full.keyString()), channel, seen);
        try {
            io.ably.lib.rest.Channel restCh = rest.channels.get(channel);
            restCh.publish("greeting", "hello");
            Message created = next(seen, "the create");
            assertThat(created.action).isEqualTo(MessageAction.MESSAGE_CREATE);
            String serial = created.serial;
            assertThat(serial).isNotBlank();

            patch(
                    server,
                    channel,
                    serial,
                    "{\"action\":1,\"data\":\"hello, edited\","
                            + "\"version\":{\"description\":\"typo\",\"metadata\":{\"reason\":\"spelling\"}}}");
            Message updated = next(seen, "the update");
            assertThat(updated.action).isEqualTo(MessageAction.MESSAGE_UPDATE);
            assertThat(updated.serial).isEqualTo(serial);
            assertThat(updated.id).isEqualTo(created.id);
            assertThat(updated.name).isEqualTo("greeting");
            assertThat(updated.data).isEqualTo("hello, edited");
            assertThat(updated.version).isNotNull();
            assertThat(updated.version.serial).isNotBlank().isNotEqualTo(serial);
            assertThat(updated.version.description).isEqualTo("typo");
            assertThat(updated.version.metadata).containsEntry("reason", "spelling");

            Message latest = restCh.getMessage(serial);
            assertThat(latest.serial).isEqualTo(serial);
            assertThat(latest.action).isEqualTo(MessageAction.MESSAGE_UPDATE);
            assertThat(latest.data).isEqualTo("hello, edited");
            assertThat(latest.version.serial).isEqualTo(updated.version.serial);
            PaginatedResult<Message> versions = restCh.getMessageVersions(serial, new Param[0]);
            assertThat(Arrays.stream(versions.items()).map(m -> m.data)).containsExactly("hello", "hello, edited");

            patch(server, channel, serial, "{\"action\":2,\"version\":{\"description\":\"spam\"}}");
            Message deleted = next(seen, "the delete");
            assertThat(deleted.action).isEqualTo(MessageAction.MESSAGE_DELETE);
            assertThat(deleted.serial).isEqualTo(serial);
            assertThat(deleted.version.description).isEqualTo("spam");

            Message[] history = restCh.history(new Param[0]).items();
            assertThat(history).hasSize(1);
            assertThat(history[0].serial).isEqualTo(serial);
            assertThat(history[0].action).isEqualTo(MessageAction.MESSAGE_DELETE);
            assertThat(history[0].version.serial).isEqualTo(deleted.version.serial);

        } finally {
            AblyJava.closeAll(rt);
        }
    }

    @ParameterizedTest(autoCloseArguments = false) // the servers are per class, closed after all cases
    @MethodSource("enginesAndFormats")
    void ablyJava_updateMessageAndDeleteMessage_reachTheSubscriber(TestServer server, WireFormat f) throws Exception {
        String channel = "mutable:java-writes-" + f;
        BlockingQueue<Message> seen = new LinkedBlockingQueue<>();
        AblyRealtime rt = subscriber(AblyJava.withKey(server, f.binary(), server.full.keyString()), channel, seen);
        try {
            io.ably.lib.rest.Channel restCh = rest(server, f).channels.get(channel);
            restCh.publish("greeting", "hello");
            String serial = next(seen, "the create").serial;
            Message edit = new Message("greeting", "hello, edited");
            edit.serial = serial;
            restCh.updateMessage(edit, new MessageOperation(null, "typo", Map.of("reason", "spelling")));
            Message updated = next(seen, "the update");
            assertThat(updated.action).isEqualTo(MessageAction.MESSAGE_UPDATE);
            assertThat(updated.serial).isEqualTo(serial);
            assertThat(updated.version.description).isEqualTo("typo");
            Message gone = new Message();
            gone.serial = serial;
            restCh.deleteMessage(gone, new MessageOperation(null, "spam", null));
            Message deleted = next(seen, "the delete");
            assertThat(deleted.action).isEqualTo(MessageAction.MESSAGE_DELETE);
            assertThat(deleted.serial).isEqualTo(serial);
            io.ably.lib.rest.Channel plain = rest(server, f).channels.get("plain-java-" + f);
            plain.publish("greeting", "hello");
            Message notMutable = plain.history(new Param[0]).items()[0];
            notMutable.data = "edited";
            ErrorInfo refused =
                    AblyJava.errorOf("update outside the mutable namespace", () -> plain.updateMessage(notMutable));
            assertThat(refused.code).as("%s", refused).isEqualTo(93002);
            assertThat(refused.statusCode).isEqualTo(400);
        } finally {
            AblyJava.closeAll(rt);
        }
    }

    @ParameterizedTest(autoCloseArguments = false) // the servers are per class, closed after all cases
    @MethodSource("enginesAndFormats")
    void ablyJava_annotationsOverRestAndRealtime_subscriberGetsSummaries(TestServer server, WireFormat f)
            throws Exception {
        String channel = "mutable:react-java-" + f;
        BlockingQueue<Message> seen = new LinkedBlockingQueue<>();
        AblyRealtime watcher = subscriber(AblyJava.withKey(server, f.binary(), server.full.keyString()), channel, seen);
        BlockingQueue<Message> bobSeen = new LinkedBlockingQueue<>();
        AblyRealtime bob = subscriber(identified(server, f, "bob"), channel, bobSeen);
        try {
            AblyRest alice = AblyJava.rest(identified(server, f, "alice"));
            io.ably.lib.rest.Channel aliceCh = alice.channels.get(channel);
            aliceCh.publish("question", "lunch?");
            Message created = next(seen, "the create");
            String serial = created.serial;

            aliceCh.annotations.publish(serial, reaction("+1"));
            Message first = next(seen, "the summary after alice's +1");
            assertThat(first.action).isEqualTo(MessageAction.MESSAGE_SUMMARY);
            assertThat(first.serial).isEqualTo(serial);
            SummaryClientIdList plusOne = distinct(first, "+1");
            assertThat(plusOne.total).isEqualTo(1);
            assertThat(plusOne.clientIds).containsExactly("alice");

            Channel bobCh = bob.channels.get(channel);
            AblyJava.call("bob's +1", l -> bobCh.annotations.publish(serial, reaction("+1"), l));
            Message second = next(seen, "the summary after bob's +1");
            assertThat(second.action).isEqualTo(MessageAction.MESSAGE_SUMMARY);
            assertThat(second.serial).isEqualTo(serial);
            plusOne = distinct(second, "+1");
            assertThat(plusOne.total).isEqualTo(2);
            assertThat(plusOne.clientIds).containsExactlyInAnyOrder("alice", "bob");
            assertThat(plusOne.clipped).isFalse();

            PaginatedResult<Annotation> stored = aliceCh.annotations.get(serial);
            assertThat(Arrays.stream(stored.items()).map(a -> a.clientId)).containsExactly("alice", "bob");
            for (Annotation a : stored.items()) {
                assertThat(a.type).isEqualTo(DISTINCT);
                assertThat(a.name).isEqualTo("+1");
                assertThat(a.messageSerial).isEqualTo(serial);
                assertThat(a.serial).isNotBlank();
            }
            assertThat(distinct(aliceCh.getMessage(serial), "+1").total).isEqualTo(2);
        } finally {
            AblyJava.closeAll(watcher, bob);
        }
    }

    @ParameterizedTest(autoCloseArguments = false) // the servers are per class, closed after all cases
    @MethodSource("enginesAndFormats")
    void ablyJava_statsAfterPublishes_answerTheCurrentMinute(TestServer server, WireFormat f) throws Exception {
        AblyRest rest = rest(server, f);
        io.ably.lib.rest.Channel ch = rest.channels.get("stats-java-" + f);
        for (int i = 0; i < 3; i++) {
            ch.publish("n" + i, "data-" + i);
        }
        Stats[] stats = rest.stats(new Param[] {new Param("unit", "minute")}).items();
        assertThat(stats).isNotEmpty();
        Stats now = stats[0];
        assertThat(now.unit).isEqualTo("minute");
        assertThat(now.intervalId).matches("\\d{4}-\\d{2}-\\d{2}:\\d{2}:\\d{2}");
        assertThat(now.inProgress).as("the current minute is in progress").isNotNull();
    }

    @ParameterizedTest(autoCloseArguments = false) // the servers are per class, closed after all cases
    @MethodSource("enginesAndFormats")
    void ablyJava_statsAfterPublishes_exposeInboundCounts(TestServer server, WireFormat f) throws Exception {
        AblyRest rest = rest(server, f);
        rest.channels.get("stats-counts-java-" + f).publish("n", "d");
        Stats now = rest.stats(new Param[] {new Param("unit", "minute")}).items()[0];
        assertThat(now.inbound).as("inbound of %s", now.intervalId).isNotNull();
        assertThat(now.inbound.rest.messages.count).isGreaterThanOrEqualTo(1);
        assertThat(now.inbound.all.all.count).isGreaterThanOrEqualTo(1);
    }

    @ParameterizedTest(autoCloseArguments = false) // the servers are per class, closed after all cases
    @MethodSource("enginesAndFormats")
    void ablyJava_publishBatch_everyChannelAnswersAndARefusalIs40160(TestServer server, WireFormat f) throws Exception {
        AblyRest rest = rest(server, f);
        String a = "batch-a-java-" + f;
        String b = "batch-b-java-" + f;
        PublishResponse[] ok = rest.publishBatch(
                new Message.Batch[] {new Message.Batch(new String[] {a, b}, new Message[] {new Message("n", "d")})},
                null);
        assertThat(ok).hasSize(2);
        assertThat(Arrays.stream(ok).map(r -> r.channelId)).containsExactly(a, b);
        for (PublishResponse r : ok) {
            assertThat(r.error).as("%s", r.channelId).isNull();
            assertThat(r.messageId).isNotBlank();
        }
        assertThat(rest.channels.get(b).history(new Param[0]).items()).hasSize(1);

        Auth.TokenParams onlyA = new Auth.TokenParams();
        onlyA.capability = "{\"" + a + "\":[\"publish\"]}";
        ClientOptions limitedOptions = AblyJava.options(server, f.binary());
        limitedOptions.token = rest.auth.requestToken(onlyA, null).token;
        AblyRest limited = AblyJava.rest(limitedOptions);
        PublishResponse[] partial = limited.publishBatch(
                new Message.Batch[] {new Message.Batch(List.of(a, b), List.of(new Message("n", "again")))}, null);
        assertThat(partial).hasSize(2);
        assertThat(partial[0].channelId).isEqualTo(a);
        assertThat(partial[0].error).isNull();
        assertThat(partial[0].messageId).isNotBlank();
        assertThat(partial[1].channelId).isEqualTo(b);
        assertThat(partial[1].error).isNotNull();
        assertThat(partial[1].error.code).as("%s", partial[1].error).isEqualTo(40160);
        assertThat(rest.channels.get(a).history(new Param[0]).items()).hasSize(2);
    }
}
