package com.example.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ably.lib.realtime.AblyRealtime;
import io.ably.lib.realtime.Channel;
import io.ably.lib.rest.AblyRest;
import io.ably.lib.types.Message;
import io.herald.junit.Herald;
import io.herald.junit.HeraldInstance;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A user's test, as the README shows it: {@code @Herald} on the class, a {@link HeraldInstance} parameter, and the
 * official ably-java SDK pointed at the in-process server. Nothing else is set up.
 */
@Herald
class ChatRoomTest {
    @Test
    void aMessagePublishedOverRest_reachesARealtimeSubscriber(HeraldInstance herald) throws Exception {
        AblyRealtime realtime = new AblyRealtime(herald.ably().clientOptions("alice"));
        try {
            Channel room = realtime.channels.get("room:lobby");
            CompletableFuture<Message> received = new CompletableFuture<>();
            room.subscribe(received::complete);
            CompletableFuture<Void> attached = new CompletableFuture<>();
            room.attach(new io.ably.lib.realtime.CompletionListener() {
                @Override
                public void onSuccess() {
                    attached.complete(null);
                }

                @Override
                public void onError(io.ably.lib.types.ErrorInfo reason) {
                    attached.completeExceptionally(new AssertionError(reason.message));
                }
            });
            attached.get(10, TimeUnit.SECONDS);

            AblyRest rest = new AblyRest(herald.ably().clientOptions());
            rest.channels.get("room:lobby").publish("greeting", "hello");

            Message m = received.get(10, TimeUnit.SECONDS);
            assertEquals("greeting", m.name);
            assertEquals("hello", m.data);
            assertTrue(rest.channels.get("room:lobby").history(null).items().length >= 1);
        } finally {
            realtime.close();
        }
    }
}
