package com.example.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ably.lib.realtime.AblyRealtime;
import io.ably.lib.realtime.Channel;
import io.ably.lib.realtime.ChannelEvent;
import io.ably.lib.realtime.ChannelStateListener;
import io.ably.lib.realtime.CompletionListener;
import io.ably.lib.realtime.ConnectionEvent;
import io.ably.lib.realtime.ConnectionState;
import io.ably.lib.rest.AblyRest;
import io.ably.lib.types.ErrorInfo;
import io.ably.lib.types.Message;
import io.herald.junit.Herald;
import io.herald.junit.HeraldInstance;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A user's reconnection tests with {@code herald.faults()}: the app's client survives a dropped connection (resumed,
 * nothing lost), a resume that fails (a new connection: the app must re-sync), and lost messages (continuity lost:
 * the app reads history). Faults are cleared by the extension after each test.
 */
@Herald
class ReconnectTest {
    private static final long WAIT = 10;

    @Test
    void aDroppedConnection_resumes_andTheMessageSentMeanwhileArrives(HeraldInstance herald) throws Exception {
        AblyRealtime alice = new AblyRealtime(herald.ably().clientOptions("alice"));
        try {
            awaitConnected(alice);
            String connectionId = alice.connection.id;
            Channel room = alice.channels.get("room:drop");
            BlockingQueue<Message> received = new LinkedBlockingQueue<>();
            room.subscribe(received::add);
            attach(room);
            CompletableFuture<Void> disconnected = new CompletableFuture<>();
            alice.connection.on(ConnectionEvent.disconnected, change -> disconnected.complete(null));

            herald.faults().dropConnection("alice");
            disconnected.get(WAIT, TimeUnit.SECONDS);
            new AblyRest(herald.ably().clientOptions())
                    .channels
                    .get("room:drop")
                    .publish("while-away", "1");

            Message m = received.poll(WAIT, TimeUnit.SECONDS);
            assertTrue(m != null && m.name.equals("while-away"), "the message sent while disconnected: " + m);
            assertEquals(ConnectionState.connected, alice.connection.state);
            assertEquals(connectionId, alice.connection.id, "resumed, not a new connection");
        } finally {
            alice.close();
        }
    }

    @Test
    void aFailedResume_givesANewConnection_with80008(HeraldInstance herald) throws Exception {
        AblyRealtime alice = new AblyRealtime(herald.ably().clientOptions("alice"));
        try {
            awaitConnected(alice);
            String connectionId = alice.connection.id;
            CompletableFuture<ErrorInfo> reconnected = new CompletableFuture<>();
            alice.connection.on(change -> {
                if (change.previous != ConnectionState.connected && change.current == ConnectionState.connected) {
                    reconnected.complete(change.reason);
                }
            });

            herald.faults().failResume("alice");
            herald.faults().dropConnection("alice");

            ErrorInfo reason = reconnected.get(WAIT, TimeUnit.SECONDS);
            assertEquals(80008, reason.code, "continuity lost: the app should re-sync from history");
            assertNotEquals(connectionId, alice.connection.id);
        } finally {
            alice.close();
        }
    }

    @Test
    void lostMessages_areSignalledAsAnUpdateWithoutResumed(HeraldInstance herald) throws Exception {
        AblyRealtime bob = new AblyRealtime(herald.ably().clientOptions("bob"));
        try {
            Channel room = bob.channels.get("room:lossy");
            attach(room);
            CompletableFuture<ChannelStateListener.ChannelStateChange> update = new CompletableFuture<>();
            room.on(ChannelEvent.update, update::complete);

            herald.faults().dropDeliveries("room:lossy");
            new AblyRest(herald.ably().clientOptions())
                    .channels
                    .get("room:lossy")
                    .publish("lost", "1");

            assertFalse(update.get(WAIT, TimeUnit.SECONDS).resumed, "the app should read history now");
        } finally {
            bob.close();
        }
    }

    private static void awaitConnected(AblyRealtime rt) throws Exception {
        CompletableFuture<Void> connected = new CompletableFuture<>();
        rt.connection.on(ConnectionEvent.connected, change -> connected.complete(null));
        if (rt.connection.state != ConnectionState.connected) {
            connected.get(WAIT, TimeUnit.SECONDS);
        }
    }

    private static void attach(Channel channel) throws Exception {
        CompletableFuture<Void> attached = new CompletableFuture<>();
        channel.attach(new CompletionListener() {
            @Override
            public void onSuccess() {
                attached.complete(null);
            }

            @Override
            public void onError(ErrorInfo reason) {
                attached.completeExceptionally(new AssertionError(reason.message));
            }
        });
        attached.get(WAIT, TimeUnit.SECONDS);
    }
}
