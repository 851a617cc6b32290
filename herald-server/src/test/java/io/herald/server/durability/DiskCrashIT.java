package io.herald.server.durability;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.ably.lib.realtime.AblyRealtime;
import io.ably.lib.realtime.Channel;
import io.ably.lib.realtime.CompletionListener;
import io.ably.lib.types.AblyException;
import io.ably.lib.types.ClientOptions;
import io.ably.lib.types.ErrorInfo;
import io.ably.lib.types.Message;
import io.herald.auth.ApiKey;
import io.herald.auth.TokenParams;
import io.herald.auth.TokenRequests;
import io.herald.server.e2e.support.HeraldProcess;
import io.herald.server.e2e.support.Http;
import io.herald.server.e2e.support.Tokens;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Crash safety of the disk engine, with the packaged server in its own process: ably-java clients publish to
 * persisted channels while the server is killed with SIGKILL at a random moment, three times. After each restart every
 * acknowledged message is in history, in order, exactly once, with serials going on in the same epoch; a TokenRequest
 * used before the crash is still refused (40105) and a token revoked before it is still revoked (40141).
 */
class DiskCrashIT {
    private static final int PUBLISHERS = 3;
    private static final int ROUNDS = 3;

    @TempDir
    Path dir;

    private HeraldProcess node;
    private final List<Publisher> publishers = new ArrayList<>();

    @AfterEach
    void stop() {
        publishers.forEach(Publisher::close);
        if (node != null) {
            node.close();
        }
    }

    /** One client publishing to its own channel, one message at a time, each with its own id. */
    private static final class Publisher implements AutoCloseable {
        final String channel;
        final AblyRealtime client;
        final ConcurrentLinkedQueue<String> acked = new ConcurrentLinkedQueue<>();
        final AtomicBoolean running = new AtomicBoolean(true);
        final CompletableFuture<Void> done = new CompletableFuture<>();
        final Thread thread;

        Publisher(int index, int port, ApiKey key) throws AblyException {
            channel = "persisted:crash-" + index;
            ClientOptions o = new ClientOptions(key.keyString());
            o.restHost = o.realtimeHost = "localhost";
            o.port = port;
            o.tls = false;
            o.useBinaryProtocol = index % 2 == 0;
            o.disconnectedRetryTimeout = 200;
            o.httpMaxRetryCount = 0;
            client = new AblyRealtime(o);
            thread = new Thread(this::run, "publisher-" + index);
            thread.start();
        }

        private void run() {
            Channel ch = client.channels.get(channel);
            for (int n = 0; running.get(); n++) {
                String id = channel + "-" + String.format("%06d", n);
                CompletableFuture<Boolean> outcome = new CompletableFuture<>();
                try {
                    Message m = new Message("m", "data " + n);
                    m.id = id;
                    ch.publish(m, new CompletionListener() {
                        @Override
                        public void onSuccess() {
                            outcome.complete(true);
                        }

                        @Override
                        public void onError(ErrorInfo reason) {
                            outcome.complete(false);
                        }
                    });
                    if (outcome.get(20, TimeUnit.SECONDS)) {
                        acked.add(id);
                    }
                } catch (Exception e) {
                    // not acknowledged: the message may or may not be stored, at most once
                }
            }
            done.complete(null);
        }

        @Override
        public void close() {
            running.set(false);
            client.close();
        }
    }

    private record Stored(List<String> ids, List<String> epochs, List<Long> seqs) {}

    /** The channel's whole history, oldest first, following the {@code Link: rel="next"} pages. */
    private Stored history(ApiKey key, String channel) {
        List<String> ids = new ArrayList<>();
        List<String> epochs = new ArrayList<>();
        List<Long> seqs = new ArrayList<>();
        String base = "/channels/" + channel + "/";
        String page = "./messages?direction=forwards&limit=1000";
        while (page != null) {
            Http.Response r = Http.get(node.uri(base + page.substring(2)), "Authorization", Http.basic(key));
            assertThat(r.status()).as("%s", r).isEqualTo(200);
            for (JsonNode m : r.json()) {
                ids.add(m.path("id").asText());
                String serial = m.path("serial").asText();
                String event = serial.substring(0, serial.indexOf(':'));
                epochs.add(event.substring(0, event.lastIndexOf('-')));
                seqs.add(Long.parseLong(event.substring(event.lastIndexOf('-') + 1)));
            }
            page = null;
            for (String links : r.headers().allValues("Link")) {
                for (String link : links.split(",")) {
                    if (link.contains("rel=\"next\"")) {
                        page = link.substring(link.indexOf('<') + 1, link.indexOf('>'));
                    }
                }
            }
        }
        return new Stored(ids, epochs, seqs);
    }

    private Http.Response requestToken(ApiKey key, String json) {
        return Http.postJson(node.uri("/keys/" + key.keyName() + "/requestToken"), json);
    }

    @Test
    void sigkillWhilePublishing_threeTimes_everyAckedMessageSurvivesOnceInOrder_noncesAndRevocationsToo()
            throws Exception {
        ApiKey key = ApiKey.generate("crash");
        Path config = dir.resolve("herald.yaml");
        Files.writeString(
                config,
                "apps:\n  - id: crash\n    keys:\n      - key: " + key.keyString()
                        + "\n        revocableTokens: true\n");
        Path data = dir.resolve("data");
        int port = HeraldProcess.freePort();
        node = HeraldProcess.disk("crash-0", port, config, data);

        TokenParams mallory = new TokenParams();
        mallory.clientId = "mallory";
        JsonNode malloryDetails = Http.postJson(
                        node.uri("/keys/" + key.keyName() + "/requestToken"),
                        TokenRequests.create(key, mallory, Clock.systemUTC()).toJson())
                .json();
        String revokedToken = malloryDetails.path("token").asText();
        Tokens.revokeCovering(
                node.uri("/keys/" + key.keyName() + "/revokeTokens"),
                key,
                "mallory",
                malloryDetails.path("issued").asLong());

        for (int i = 0; i < PUBLISHERS; i++) {
            publishers.add(new Publisher(i, port, key));
        }
        List<String> usedTokenRequests = new ArrayList<>();
        String[] epochs = new String[PUBLISHERS];
        long[] lastSeq = new long[PUBLISHERS];
        for (int round = 1; round <= ROUNDS; round++) {
            TokenParams p = new TokenParams();
            p.clientId = "round-" + round;
            String tokenRequest =
                    TokenRequests.create(key, p, Clock.systemUTC()).toJson();
            assertThat(requestToken(key, tokenRequest).status()).isEqualTo(200);
            usedTokenRequests.add(tokenRequest);

            long ackedBefore =
                    publishers.stream().mapToLong(x -> x.acked.size()).sum();
            long killAt = System.nanoTime()
                    + TimeUnit.MILLISECONDS.toNanos(ThreadLocalRandom.current().nextLong(400, 1500));
            while (System.nanoTime() < killAt
                    || publishers.stream().mapToLong(x -> x.acked.size()).sum() < ackedBefore + 20) {
                Thread.onSpinWait(); // publishing goes on until the random moment and at least 20 more ACKs
                Thread.sleep(5);
            }
            node.kill();
            List<Set<String>> ackedAtCrash = new ArrayList<>();
            for (Publisher x : publishers) {
                ackedAtCrash.add(new HashSet<>(x.acked));
            }
            node = HeraldProcess.disk("crash-" + round, port, config, data);

            for (String used : usedTokenRequests) {
                Http.assertAblyError(requestToken(key, used), 401, 40105);
            }
            Http.assertAblyError(
                    Http.get(
                            node.uri("/channels/persisted:crash-0/messages"),
                            "Authorization",
                            Http.bearerBase64(revokedToken)),
                    401,
                    40141);
            for (int i = 0; i < PUBLISHERS; i++) {
                Stored s = history(key, publishers.get(i).channel);
                assertThat(s.ids())
                        .as("round %d: each message at most once", round)
                        .doesNotHaveDuplicates();
                assertThat(s.ids())
                        .as("round %d: every acknowledged message is in history", round)
                        .containsAll(ackedAtCrash.get(i));
                assertThat(s.ids()).as("round %d: in publish order", round).isSorted();
                assertThat(new HashSet<>(s.epochs()))
                        .as("round %d: one epoch", round)
                        .hasSize(1);
                if (epochs[i] == null) {
                    epochs[i] = s.epochs().get(0);
                }
                assertThat(s.epochs().get(0))
                        .as("the channel's epoch survives a SIGKILL")
                        .isEqualTo(epochs[i]);
                assertThat(s.seqs())
                        .as("round %d: serials never repeat", round)
                        .isSorted()
                        .doesNotHaveDuplicates();
                assertThat(s.seqs().get(s.seqs().size() - 1))
                        .as("serials go on")
                        .isGreaterThan(lastSeq[i]);
                lastSeq[i] = s.seqs().get(s.seqs().size() - 1);
            }
        }
        long ackedAfterLastRestart =
                publishers.stream().mapToLong(x -> x.acked.size()).sum();
        while (publishers.stream().mapToLong(x -> x.acked.size()).sum() < ackedAfterLastRestart + 10) {
            Thread.sleep(5); // the clients reconnect by themselves and publish on
        }
        for (Publisher x : publishers) {
            x.running.set(false);
        }
        for (Publisher x : publishers) {
            x.done.get(30, TimeUnit.SECONDS);
        }
        for (Publisher x : publishers) {
            Stored s = history(key, x.channel);
            assertThat(s.ids()).doesNotHaveDuplicates().containsAll(x.acked).isSorted();
            assertThat(s.seqs()).isSorted().doesNotHaveDuplicates();
        }
        assertThat(node.log()).doesNotContain("Exception");
    }
}
