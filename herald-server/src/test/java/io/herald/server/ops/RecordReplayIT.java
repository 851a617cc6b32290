package io.herald.server.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.gson.JsonObject;
import io.ably.lib.realtime.AblyRealtime;
import io.ably.lib.realtime.Channel;
import io.ably.lib.rest.AblyRest;
import io.ably.lib.types.ClientOptions;
import io.ably.lib.types.Message;
import io.ably.lib.types.MessageExtras;
import io.ably.lib.types.PresenceMessage;
import io.herald.auth.ApiKey;
import io.herald.server.cli.HeraldCli;
import io.herald.server.e2e.support.AblyJava;
import io.herald.server.e2e.support.HeraldProcess;
import io.herald.server.e2e.support.TestServer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code herald record} and {@code herald replay} (docs/faults.md, "Record and replay") against a real server, with
 * ably-java as the app: what one client publishes on a channel is recorded, replayed into another channel ten times
 * faster, and a subscriber there sees the same events, in the same order, with the same types of data.
 */
class RecordReplayIT {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    static final TestServer server = TestServer.perClass();

    @TempDir
    Path dir;

    private String url() {
        return "http://127.0.0.1:" + server.port();
    }

    @Test
    void record_thenReplayIntoAnotherChannelTenTimesFaster_subscriberSeesTheSameEventsInOrder() throws Exception {
        String a = "rec:a-" + UUID.randomUUID();
        String b = "rec:b-" + UUID.randomUUID();
        Path file = dir.resolve("a.jsonl");
        SignallingWriter recordErr = new SignallingWriter();
        StringWriter recordOut = new StringWriter();
        CompletableFuture<Integer> recording = CompletableFuture.supplyAsync(() -> new CommandLine(new HeraldCli())
                .setOut(new PrintWriter(recordOut, true))
                .setErr(new PrintWriter(recordErr, true))
                .execute(
                        "record",
                        "--url",
                        url(),
                        "--key",
                        server.full.keyString(),
                        "--channel",
                        a,
                        "--out",
                        file.toString(),
                        "--count",
                        "6"));
        recordErr.await("herald record: recording " + a, recording);

        ClientOptions o = AblyJava.withKey(server, true, server.full.keyString());
        o.clientId = "alice";
        AblyRealtime publisher = AblyJava.connect(o);
        JsonObject object = new JsonObject();
        object.addProperty("answer", 42);
        object.addProperty("text", "ünïcode");
        byte[] bytes = {0, 1, 2, (byte) 0xfe, (byte) 0xff};
        JsonObject headers = new JsonObject();
        headers.addProperty("trace", "t-1");
        JsonObject extras = new JsonObject();
        extras.add("headers", headers);
        try {
            Channel ch = publisher.channels.get(a);
            AblyJava.attach(ch);
            AblyJava.call("enter", l -> ch.presence.enter("hello", l));
            AblyJava.publish(ch, "text", "plain string");
            AblyJava.publish(ch, "object", object);
            // not synchronisation: the recording must span some time for the replay's speed to show
            TimeUnit.MILLISECONDS.sleep(1500);
            Message binary = new Message("binary", bytes);
            binary.extras = new MessageExtras(extras);
            AblyJava.call("publish binary", l -> ch.publish(binary, l));
            AblyJava.call("update", l -> ch.presence.update("busy", l));
            AblyJava.call("leave", l -> ch.presence.leave("bye", l));
        } finally {
            AblyJava.closeAll(publisher);
        }
        assertThat(recording.get(WAIT.toSeconds(), TimeUnit.SECONDS))
                .as("record's exit code; stderr: %s", recordErr)
                .isZero();
        assertThat(recordOut.toString()).contains("6 events (3 messages, 3 presence)");

        List<JsonNode> lines = new ArrayList<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            lines.add(JSON.readTree(line));
        }
        assertThat(lines).hasSize(7);
        assertThat(lines.get(0).path("format").asText()).isEqualTo("herald-recording");
        assertThat(lines.get(0).path("version").asInt()).isEqualTo(1);
        assertThat(lines.get(0).path("channels").get(0).asText()).isEqualTo(a);
        assertThat(lines.subList(1, 7))
                .extracting(l -> l.path("type").asText() + ":"
                        + l.path("action").asText(l.path("name").asText()))
                .containsExactly(
                        "presence:enter",
                        "message:text",
                        "message:object",
                        "message:binary",
                        "presence:update",
                        "presence:leave");
        assertThat(lines.subList(1, 7)).allSatisfy(l -> {
            assertThat(l.path("channel").asText()).isEqualTo(a);
            assertThat(l.path("clientId").asText()).isEqualTo("alice");
        });
        assertThat(lines.get(3).path("encoding").asText()).isEqualTo("json");
        assertThat(lines.get(4).path("encoding").asText()).endsWith("base64");
        assertThat(lines.get(4).path("extras").path("headers").path("trace").asText())
                .isEqualTo("t-1");
        long recordedSpan = lines.get(6).path("offsetMs").asLong()
                - lines.get(1).path("offsetMs").asLong();
        assertThat(recordedSpan).isGreaterThanOrEqualTo(1500);

        AblyRealtime subscriber = AblyJava.connect(AblyJava.withKey(server, true, server.full.keyString()));
        try {
            Channel ch = subscriber.channels.get(b);
            LinkedBlockingQueue<Object> seen = new LinkedBlockingQueue<>();
            ch.subscribe(seen::add);
            ch.presence.subscribe(seen::add);
            AblyJava.attach(ch);

            long start = System.nanoTime();
            Cli replay = Cli.run(
                    "replay",
                    file.toString(),
                    "--url",
                    url(),
                    "--key",
                    server.full.keyString(),
                    "--speed",
                    "10",
                    "--channel-map",
                    a + "=" + b);
            long replayMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertThat(replay.exitCode()).as("replay: %s", replay).isZero();
            assertThat(replay.out()).contains("3 messages and 3 presence events published");

            PresenceMessage enter = next(seen, PresenceMessage.class);
            assertThat(enter.action).isEqualTo(PresenceMessage.Action.enter);
            assertThat(enter.clientId).isEqualTo("alice");
            assertThat(enter.data).isEqualTo("hello");
            Message text = next(seen, Message.class);
            assertThat(text.name).isEqualTo("text");
            assertThat(text.data).isEqualTo("plain string");
            assertThat(text.clientId).isEqualTo("alice");
            Message json = next(seen, Message.class);
            assertThat(json.name).isEqualTo("object");
            assertThat(json.data).isInstanceOf(JsonObject.class).isEqualTo(object);
            Message bin = next(seen, Message.class);
            assertThat(bin.name).isEqualTo("binary");
            assertThat(bin.data).isInstanceOf(byte[].class);
            assertThat((byte[]) bin.data).containsExactly(bytes);
            assertThat(bin.extras.asJsonObject()).isEqualTo(extras);
            PresenceMessage update = next(seen, PresenceMessage.class);
            assertThat(update.action).isEqualTo(PresenceMessage.Action.update);
            assertThat(update.data).isEqualTo("busy");
            PresenceMessage leave = next(seen, PresenceMessage.class);
            assertThat(leave.action).isEqualTo(PresenceMessage.Action.leave);
            assertThat(leave.clientId).isEqualTo("alice");
            assertThat(leave.data).isEqualTo("bye");

            // the gaps were divided by 10: never faster than that, and well under the recording's own length
            assertThat(replayMs).isGreaterThanOrEqualTo(recordedSpan / 10).isLessThan(recordedSpan);
        } finally {
            AblyJava.closeAll(subscriber);
        }
    }

    @Test
    void replay_corruptLine_namesTheLineAndPublishesNothing() throws Exception {
        String channel = "rec:corrupt-" + UUID.randomUUID();
        Path file = write(
                header(1, channel),
                event(0, channel, "first"),
                "{\"offsetMs\": 5, \"channel\": \"" + channel + "\", \"type\": \"message\", \"name\": ",
                event(10, channel, "third"));

        Cli replay =
                Cli.run("replay", file.toString(), "--url", url(), "--key", server.full.keyString(), "--speed", "0");

        assertThat(replay.exitCode()).as("%s", replay).isEqualTo(3);
        assertThat(replay.err()).contains(file + ": line 3: not JSON");
        assertThat(history(channel)).as("nothing published").isEmpty();
    }

    @Test
    void replay_unknownVersion_isRefusedWithTheVersion() throws Exception {
        Path file = write(header(2, "rec:v2"), event(0, "rec:v2", "x"));

        Cli replay = Cli.run("replay", file.toString(), "--url", url(), "--key", server.full.keyString());

        assertThat(replay.exitCode()).as("%s", replay).isEqualTo(3);
        assertThat(replay.err()).contains("line 1: unknown format version 2 (this herald reads version 1)");
    }

    @Test
    void replay_missingFile_saysSo() {
        Path file = dir.resolve("nope.jsonl");

        Cli replay = Cli.run("replay", file.toString(), "--url", url(), "--key", server.full.keyString());

        assertThat(replay.exitCode()).as("%s", replay).isEqualTo(3);
        assertThat(replay.err()).contains(file + ": no such file");
    }

    @Test
    void replay_lastLineCutShort_isLeftOutWithAWarning() throws Exception {
        String channel = "rec:cut-" + UUID.randomUUID();
        Path file = dir.resolve("cut.jsonl");
        Files.writeString(
                file,
                header(1, channel) + "\n" + event(0, channel, "whole") + "\n" + "{\"offsetMs\":3,\"chan",
                StandardCharsets.UTF_8);

        Cli replay =
                Cli.run("replay", file.toString(), "--url", url(), "--key", server.full.keyString(), "--speed", "0");

        assertThat(replay.exitCode()).as("%s", replay).isZero();
        assertThat(replay.err()).contains("line 3 is cut short");
        assertThat(history(channel)).containsExactly("whole");
    }

    @Test
    void record_unknownKey_printsTheServersErrorAndLeavesNoFile() {
        Path file = dir.resolve("refused.jsonl");

        Cli record = Cli.run(
                "record",
                "--url",
                url(),
                "--key",
                "test.nosuchkey:c2VjcmV0c2VjcmV0c2VjcmV0",
                "--channel",
                "x",
                "--out",
                file.toString(),
                "--count",
                "1");

        assertThat(record.exitCode()).as("%s", record).isEqualTo(5);
        assertThat(record.err()).contains("the server refused the connection with key test.nosuchkey: 401");
        assertThat(file).doesNotExist();
    }

    @Test
    void replay_keyWithoutPublish_printsTheServersError() throws Exception {
        String channel = "chat:rec-" + UUID.randomUUID();
        Path file = write(header(1, channel), event(0, channel, "x"));

        Cli replay = Cli.run("replay", file.toString(), "--url", url(), "--key", server.limited.keyString());

        assertThat(replay.exitCode()).as("%s", replay).isEqualTo(5);
        assertThat(replay.err())
                .contains("line 2: the server refused the message on " + channel)
                .contains("40160 (status 401)");
    }

    @Test
    void replay_serverNotReachable_saysSo() throws Exception {
        Path file = write(header(1, "rec:x"), event(0, "rec:x", "x"));
        int port = HeraldProcess.freePort();

        Cli replay = Cli.run(
                "replay", file.toString(), "--url", "http://127.0.0.1:" + port, "--key", server.full.keyString());

        assertThat(replay.exitCode()).as("%s", replay).isEqualTo(4);
        assertThat(replay.err()).contains("cannot reach http://127.0.0.1:" + port + ": connection refused");
    }

    @Test
    void replay_keyWithoutPresence_skipsPresenceWithAWarningAndStillPublishesTheMessages() throws Exception {
        ApiKey publishOnly =
                new ApiKey("pubonly", "pub", ApiKey.generate("pubonly").secret());
        try (TestServer other = TestServer.start("  - id: pubonly\n    keys:\n      - key: \"" + publishOnly.keyString()
                + "\"\n        capability: '{\"*\":[\"publish\",\"subscribe\",\"history\"]}'")) {
            String channel = "rec:nopresence";
            Path file = write(
                    header(1, channel),
                    "{\"offsetMs\":0,\"channel\":\"" + channel
                            + "\",\"type\":\"presence\",\"action\":\"enter\",\"clientId\":\"alice\"}",
                    event(1, channel, "kept"),
                    "{\"offsetMs\":2,\"channel\":\"" + channel
                            + "\",\"type\":\"presence\",\"action\":\"leave\",\"clientId\":\"alice\"}");

            Cli replay = Cli.run(
                    "replay",
                    file.toString(),
                    "--url",
                    "http://127.0.0.1:" + other.port(),
                    "--key",
                    publishOnly.keyString(),
                    "--speed",
                    "0");

            assertThat(replay.exitCode()).as("%s", replay).isZero();
            assertThat(replay.err())
                    .contains("presence on " + channel + " is skipped")
                    .contains("40160");
            assertThat(replay.out())
                    .contains("1 messages and 0 presence events published")
                    .contains("(2 skipped)");
            AblyRest rest = AblyJava.rest(AblyJava.withKey(other, false, publishOnly.keyString()));
            assertThat(rest.channels.get(channel).history(null).items())
                    .extracting(m -> m.name)
                    .containsExactly("kept");
        }
    }

    private static <T> T next(LinkedBlockingQueue<Object> q, Class<T> type) throws InterruptedException {
        Object o = q.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(o).as("a %s within %s", type.getSimpleName(), WAIT).isInstanceOf(type);
        return type.cast(o);
    }

    private List<String> history(String channel) throws Exception {
        AblyRest rest = AblyJava.rest(AblyJava.withKey(server, false, server.full.keyString()));
        List<String> names = new ArrayList<>();
        for (Message m : rest.channels.get(channel).history(null).items()) {
            names.add(m.name);
        }
        return names;
    }

    private static String header(int version, String channel) {
        return "{\"format\":\"herald-recording\",\"version\":" + version
                + ",\"startedAt\":\"2026-01-01T00:00:00Z\",\"url\":\"http://x\",\"channels\":[\"" + channel + "\"]}";
    }

    private static String event(long offsetMs, String channel, String name) {
        return "{\"offsetMs\":" + offsetMs + ",\"channel\":\"" + channel + "\",\"type\":\"message\",\"name\":\"" + name
                + "\",\"data\":\"d\"}";
    }

    private Path write(String... lines) throws Exception {
        Path file = Files.createTempFile(dir, "rec-", ".jsonl");
        Files.writeString(file, String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
        return file;
    }

    /** Collects what a command writes and lets the test wait for a line, failing early if the command ended. */
    private static final class SignallingWriter extends StringWriter {
        synchronized void await(String text, CompletableFuture<Integer> command) throws InterruptedException {
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (!toString().contains(text)) {
                assertThat(command).as("the command ended early: %s", this).isNotDone();
                long left = deadline - System.nanoTime();
                assertThat(left).as("'%s' within %s; got: %s", text, WAIT, this).isPositive();
                wait(TimeUnit.NANOSECONDS.toMillis(left) + 1);
            }
        }

        @Override
        public synchronized void flush() {
            super.flush();
            notifyAll();
        }
    }
}
