package io.herald.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ably.lib.realtime.AblyRealtime;
import io.ably.lib.realtime.Channel;
import io.ably.lib.realtime.ConnectionState;
import io.ably.lib.rest.AblyRest;
import io.ably.lib.types.AblyException;
import io.ably.lib.types.ErrorInfo;
import io.ably.lib.types.Message;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** ably-java against the server {@link Herald} starts: realtime, REST, tokens and capabilities. */
@Herald(keys = {@Herald.Key(name = "full"), @Herald.Key(name = "limited", capability = "{\"chat:*\":[\"subscribe\"]}")})
class HeraldRoundTripTest {

    @Test
    void publishAndSubscribeOnRealtime(HeraldInstance herald) throws Exception {
        try (AblyRealtime rt = new AblyRealtime(herald.ably().clientOptions())) {
            Channel channel = rt.channels.get("round-trip");
            CompletableFuture<Message> received = new CompletableFuture<>();
            channel.subscribe(received::complete);
            Sync.ok(channel::attach);
            Sync.ok(l -> channel.publish("greeting", "hello", l));

            Message m = received.get(Sync.SECONDS, TimeUnit.SECONDS);
            assertThat(m.name).isEqualTo("greeting");
            assertThat(m.data).isEqualTo("hello");
        }
    }

    @Test
    void historyOverRest(HeraldInstance herald) throws Exception {
        AblyRest rest = new AblyRest(herald.ably().clientOptions());
        rest.channels.get("history").publish("one", "1");
        rest.channels.get("history").publish("two", "2");

        Message[] items = rest.channels.get("history").history(null).items();
        assertThat(items).extracting(m -> m.name).containsExactly("two", "one");
    }

    @Test
    void tokenClientPublishesAsItsClientId(HeraldInstance herald, HeraldAbly ably) throws Exception {
        try (AblyRealtime alice = new AblyRealtime(ably.clientOptions("alice"));
                AblyRealtime observer = new AblyRealtime(ably.clientOptions())) {
            assertThat(Sync.awaitState(alice, ConnectionState.connected)).isEqualTo(ConnectionState.connected);
            assertThat(alice.auth.clientId).isEqualTo("alice");
            assertThat(alice.auth.getTokenDetails().token)
                    .isNotEqualTo(herald.key().keyString());

            Channel watched = observer.channels.get("tokens");
            CompletableFuture<Message> received = new CompletableFuture<>();
            watched.subscribe(received::complete);
            Sync.ok(watched::attach);
            Channel own = alice.channels.get("tokens");
            Sync.ok(l -> own.publish("said", "hi", l));

            assertThat(received.get(Sync.SECONDS, TimeUnit.SECONDS).clientId).isEqualTo("alice");
        }
    }

    @Test
    void capabilityLimitedKeyCannotPublish(HeraldInstance herald) throws Exception {
        try (AblyRealtime rt = new AblyRealtime(herald.ably().clientOptions(herald.key("limited")))) {
            Channel channel = rt.channels.get("chat:room");
            Sync.ok(channel::attach);
            ErrorInfo refused = Sync.call(l -> channel.publish("no", "way", l));
            assertThat(refused).isNotNull();
            assertThat(refused.code).isEqualTo(40160);
        }
        AblyRest rest = new AblyRest(herald.ably().clientOptions(herald.key("limited")));
        assertThatThrownBy(() -> rest.channels.get("chat:room").publish("no", "way"))
                .isInstanceOfSatisfying(
                        AblyException.class, e -> assertThat(e.errorInfo.code).isEqualTo(40160));
    }

    @Test
    void describesWhereTheServerIs(HeraldInstance herald) {
        assertThat(herald.port()).isPositive();
        assertThat(herald.restUri().toString()).isEqualTo("http://127.0.0.1:" + herald.port());
        assertThat(herald.webSocketUri().toString()).isEqualTo("ws://127.0.0.1:" + herald.port());
        assertThat(herald.appId()).isEqualTo("test");
        assertThat(herald.keys()).extracting(k -> k.keyName()).containsExactly("test.full", "test.limited");
        assertThat(herald.toString()).doesNotContain(herald.key().secret());
        assertThatThrownBy(() -> herald.key("nope")).hasMessageContaining("no key nope");
        assertThatThrownBy(() -> herald.appId("nope")).hasMessageContaining("no app nope");
    }
}
