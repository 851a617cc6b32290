package io.herald.webhooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.herald.auth.ApiKey;
import io.herald.core.engine.ChannelId;
import io.herald.core.engine.ChannelSerial;
import io.herald.core.engine.PublishOutcome;
import io.herald.core.engine.PublishRequest;
import io.herald.protocol.Action;
import io.herald.protocol.Message;
import io.herald.protocol.PresenceMessage;
import io.herald.protocol.ProtocolMessage;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Webhooks against a real HTTP receiver: envelope, signature, batching, retries, filters, the queue bound. */
class WebhooksTest {
    private static final ApiKey KEY = new ApiKey("app", "k1", "c2VjcmV0LXNlY3JldA");
    private final Receiver receiver = newReceiver();
    private final List<Webhooks> opened = new ArrayList<>();
    private long seq;

    private static Receiver newReceiver() {
        try {
            return new Receiver();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @AfterEach
    void close() {
        opened.forEach(Webhooks::close);
        receiver.close();
    }

    private static WebhookSettings fast(int maxQueue) {
        return new WebhookSettings(
                maxQueue,
                100,
                64 * 1024,
                Duration.ofMillis(50),
                Duration.ofMillis(20),
                Duration.ofMillis(200),
                4,
                Duration.ofSeconds(5),
                "test-site");
    }

    private Webhooks hooks(WebhookSettings settings, String filter, List<String> sources, boolean batch) {
        WebhookRule rule = WebhookRule.parse(
                "app",
                "apps[0].webhooks[0]",
                0,
                receiver.url().toString(),
                filter,
                sources,
                true,
                batch,
                Map.of("X-Custom", "yes"));
        Webhooks w = new Webhooks(List.of(rule), settings, app -> app.equals("app") ? KEY : null);
        opened.add(w);
        return w;
    }

    private void publish(Webhooks w, String channel, String name, String data) {
        ProtocolMessage pm = ProtocolMessage.of(Action.MESSAGE, channel);
        pm.timestamp = 1000L + seq;
        Message m = new Message();
        m.id = "conn:" + seq + ":0";
        m.name = name;
        m.data = data;
        m.clientId = "alice";
        m.connectionId = "conn";
        m.timestamp = pm.timestamp;
        pm.messages = new ArrayList<>(List.of(m));
        ChannelSerial serial = new ChannelSerial("e", ++seq);
        w.published(
                new PublishRequest(new ChannelId("app", channel), pm, Duration.ofMinutes(1), false),
                new PublishOutcome(serial, List.of(serial.messageSerial(0))));
    }

    /** Polls a condition the delivery thread makes true (counters move after the receiver answered). */
    private static void await(java.util.function.BooleanSupplier done) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within 10s");
            }
            Thread.onSpinWait();
        }
    }

    @Test
    void batch_isEnvelopedAndSignedWithTheAppsKey() throws Exception {
        Webhooks w = hooks(fast(100), null, List.of("channel.message"), true);
        for (int i = 0; i < 5; i++) {
            publish(w, "chat", "greeting", "hello " + i);
        }
        Receiver.Request r = receiver.next(10);
        assertThat(r.header("X-Ably-Key")).isEqualTo("app.k1");
        assertThat(r.header("X-Ably-Signature")).isEqualTo(Signer.sign(KEY.secret(), r.body()));
        assertThat(r.header("X-Ably-Version")).isNotBlank();
        assertThat(r.header("Content-Type")).isEqualTo("application/json");
        assertThat(r.header("X-Custom")).isEqualTo("yes");
        JsonNode items = r.json().path("items");
        List<JsonNode> all = new ArrayList<>();
        items.forEach(all::add);
        while (all.size() < 5) {
            receiver.next(10).json().path("items").forEach(all::add);
        }
        assertThat(all).hasSize(5);
        assertThat(items.size()).as("events within the window share a request").isGreaterThan(1);
        JsonNode first = all.get(0);
        assertThat(first.path("webhookId").asText()).isEqualTo("app:0");
        assertThat(first.path("source").asText()).isEqualTo("channel.message");
        assertThat(first.path("name").asText()).isEqualTo("channel.message");
        assertThat(first.path("serial").asText()).isEqualTo("e-000000000001");
        assertThat(first.path("timestamp").asLong()).isEqualTo(1000L);
        assertThat(first.path("data").path("channelId").asText()).isEqualTo("chat");
        assertThat(first.path("data").path("site").asText()).isEqualTo("test-site");
        JsonNode m = first.path("data").path("messages").get(0);
        assertThat(m.path("data").asText()).isEqualTo("hello 0");
        assertThat(m.path("name").asText()).isEqualTo("greeting");
        assertThat(m.path("clientId").asText()).isEqualTo("alice");
        assertThat(m.path("serial").asText()).isEqualTo("e-000000000001:000");
        await(() -> w.stats().sent() == 5);
    }

    @Test
    void failingReceiver_getsTheSameBatchAgainWhenItRecovers() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        receiver.status = () -> calls.incrementAndGet() <= 2 ? 500 : 200;
        Webhooks w = hooks(fast(100), null, null, true);
        publish(w, "chat", "a", "one");
        Receiver.Request r = receiver.next(10);
        assertThat(receiver.statuses).startsWith(500, 500, 200);
        assertThat(r.json()
                        .path("items")
                        .get(0)
                        .path("data")
                        .path("messages")
                        .get(0)
                        .path("data")
                        .asText())
                .isEqualTo("one");
        await(() -> w.stats().sent() == 1);
        assertThat(w.stats().retried()).isEqualTo(2);
        assertThat(w.stats().failed()).isZero();
    }

    @Test
    void receiverThatNeverRecovers_countsTheEventsFailed() throws Exception {
        receiver.status = () -> 503;
        Webhooks w = hooks(fast(100), null, null, true);
        publish(w, "chat", "a", "one");
        await(() -> w.stats().failed() == 1);
        assertThat(receiver.statuses).hasSize(4);
    }

    @Test
    void channelFilter_selectsChannelsByRegex() throws Exception {
        Webhooks w = hooks(fast(100), "^public:", null, false);
        publish(w, "private:x", "a", "hidden");
        publish(w, "public:news", "a", "shown");
        Receiver.Request r = receiver.next(10);
        assertThat(r.json().path("items")).hasSize(1);
        assertThat(r.json().path("items").get(0).path("data").path("channelId").asText())
                .isEqualTo("public:news");
        assertThat(receiver.poll(300)).isNull();
    }

    @Test
    void presenceAndLifecycle_onlyWhenTheRuleAsksForThem() throws Exception {
        Webhooks w = hooks(fast(100), null, List.of("channel.presence", "channel.lifecycle"), false);
        publish(w, "chat", "a", "a message is not wanted");
        ProtocolMessage pm = ProtocolMessage.of(Action.PRESENCE, "chat");
        PresenceMessage p = new PresenceMessage();
        p.action = PresenceMessage.ENTER;
        p.clientId = "bob";
        p.data = new byte[] {1, 2};
        pm.presence = new ArrayList<>(List.of(p));
        ChannelSerial s = new ChannelSerial("e", 77);
        w.published(
                new PublishRequest(new ChannelId("app", "chat"), pm, Duration.ofMinutes(1), false),
                new PublishOutcome(s, java.util.Collections.singletonList(null)));
        JsonNode item = receiver.next(10).json().path("items").get(0);
        assertThat(item.path("source").asText()).isEqualTo("channel.presence");
        assertThat(item.path("name").asText()).isEqualTo("presence.message");
        JsonNode member = item.path("data").path("presence").get(0);
        assertThat(member.path("clientId").asText()).isEqualTo("bob");
        assertThat(member.path("action").asInt()).isEqualTo(PresenceMessage.ENTER);
        assertThat(member.path("encoding").asText()).isEqualTo("base64");

        publish(
                w,
                Webhooks.LIFECYCLE_CHANNEL,
                "channel.opened",
                "{\"channelId\":\"chat\",\"status\":{\"isActive\":true}}");
        JsonNode opened = receiver.next(10).json().path("items").get(0);
        assertThat(opened.path("source").asText()).isEqualTo("channel.lifecycle");
        assertThat(opened.path("name").asText()).isEqualTo("channel.opened");
        assertThat(opened.path("data").path("channelId").asText()).isEqualTo("chat");
        // an occupancy event of the same metachannel is its own source, which this rule did not ask for
        publish(
                w,
                Webhooks.LIFECYCLE_CHANNEL,
                "channel.occupancy",
                "{\"channelId\":\"chat\",\"status\":{\"isActive\":true}}");
        assertThat(receiver.poll(200)).isNull();
    }

    @Test
    void occupancyEvents_goToRulesWithTheOccupancySource() throws Exception {
        Webhooks w = hooks(fast(100), null, List.of("channel.occupancy"), false);
        publish(
                w,
                Webhooks.LIFECYCLE_CHANNEL,
                "channel.opened",
                "{\"channelId\":\"chat\",\"status\":{\"isActive\":true}}");
        publish(
                w,
                Webhooks.LIFECYCLE_CHANNEL,
                "channel.occupancy",
                "{\"channelId\":\"chat\",\"status\":{\"isActive\":true,\"occupancy\":{\"metrics\":{\"connections\":2}}}}");
        JsonNode item = receiver.next(10).json().path("items").get(0);
        assertThat(item.path("source").asText()).isEqualTo("channel.occupancy");
        assertThat(item.path("name").asText()).isEqualTo("channel.occupancy");
        assertThat(item.at("/data/status/occupancy/metrics/connections").asInt())
                .isEqualTo(2);
        assertThat(receiver.poll(200)).isNull();
    }

    @Test
    void fullQueue_dropsTheOldestAndCountsThem() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger calls = new AtomicInteger();
        receiver.status = () -> {
            if (calls.incrementAndGet() == 1) {
                try {
                    release.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return 200;
        };
        Webhooks w = hooks(fast(3), null, null, true);
        publish(w, "chat", "a", "first");
        await(() -> calls.get() > 0);
        for (int i = 0; i < 5; i++) {
            publish(w, "chat", "a", "later " + i);
        }
        assertThat(w.stats().dropped()).isEqualTo(2);
        assertThat(w.queued()).isEqualTo(3);
        release.countDown();
        List<String> got = new ArrayList<>();
        while (got.size() < 4) {
            receiver.next(10)
                    .json()
                    .path("items")
                    .forEach(i -> got.add(
                            i.path("data").path("messages").get(0).path("data").asText()));
        }
        assertThat(got).containsExactly("first", "later 2", "later 3", "later 4");
    }

    @Test
    void bodyLimit_splitsBatchesAndDropsAnEventTooLargeAlone() throws Exception {
        Webhooks w = hooks(fast(100), null, null, true);
        publish(w, "chat", "a", "x".repeat(70 * 1024));
        for (int i = 0; i < 3; i++) {
            publish(w, "chat", "a", "y".repeat(30 * 1024));
        }
        int items = 0;
        while (items < 3) {
            Receiver.Request r = receiver.next(10);
            assertThat(r.body().length).isLessThanOrEqualTo(64 * 1024);
            items += r.json().path("items").size();
        }
        await(() -> w.stats().sent() == 3);
        assertThat(w.stats().dropped()).isEqualTo(1);
    }

    @Test
    void rules_refuseWhatTheyCannotDo() {
        assertThatThrownBy(() -> WebhookRule.parse("a", "w", 0, "ftp://x/y", null, null, null, null, null))
                .hasMessageContaining("w.url");
        assertThatThrownBy(() -> WebhookRule.parse("a", "w", 0, null, null, null, null, null, null))
                .hasMessageContaining("w.url is required");
        assertThatThrownBy(() -> WebhookRule.parse("a", "w", 0, "http://h/", "[", null, null, null, null))
                .hasMessageContaining("w.channelFilter");
        assertThatThrownBy(() -> WebhookRule.parse("a", "w", 0, "http://h/", null, List.of("nope"), null, null, null))
                .hasMessageContaining("w.sources: unknown source 'nope'");
        assertThat(WebhookRule.parse("a", "w", 0, "http://h/", null, List.of("channel.occupancy"), null, null, null)
                        .sources())
                .containsExactly(Source.OCCUPANCY);
        assertThatThrownBy(() -> WebhookRule.parse("a", "w", 0, "http://h/", null, null, false, null, null))
                .hasMessageContaining("w.enveloped");
        assertThatThrownBy(() -> WebhookRule.parse(
                        "a", "w", 0, "http://h/", null, null, null, null, Map.of("X-Ably-Key", "forged")))
                .hasMessageContaining("w.headers");
        WebhookRule ok = WebhookRule.parse("a", "w", 2, "HTTPS://h/x", "", null, null, null, null);
        assertThat(ok.id()).isEqualTo("a:2");
        assertThat(ok.batch()).isTrue();
        assertThat(ok.matches(Source.MESSAGE, "anything")).isTrue();
        assertThat(ok.matches(Source.PRESENCE, "anything")).isFalse();
        assertThat(Signer.sign("secret", "body".getBytes(StandardCharsets.UTF_8)))
                .isEqualTo("3EaYNVf+oSe0OvchRn65s/3iM4/j4U9RlSqoR4wT01U=");
    }
}
