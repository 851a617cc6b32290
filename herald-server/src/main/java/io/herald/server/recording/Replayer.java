package io.herald.server.recording;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * Publishes a recording again: messages over REST, presence over one realtime connection as
 * {@code enterClient}-style events with the recorded clientIds (a key may act for any clientId), each event once
 * the one before it was accepted, the gaps between them divided by the speed.
 *
 * <p>Presence needs the {@code presence} capability on the target channel; where the server refuses it (attach or
 * the first event), that channel's presence events are skipped with a warning and the messages still go out.
 */
public final class Replayer {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final List<String> REPLAYED_FIELDS = List.of("name", "data", "encoding", "clientId", "extras");
    /** NACK codes that mean this key or channel cannot carry the recorded presence at all. */
    private static final Set<Integer> PRESENCE_REFUSALS = Set.of(40160, 40012, 40165, 91000);

    /** What to replay, where, and how fast ({@code speed} 0: as fast as possible). */
    public record Options(Endpoint endpoint, Path file, double speed, Map<String, String> channelMap) {}

    /** What was done. */
    public record Result(long messages, long presence, long skipped, long elapsedMs) {}

    private final Options options;
    private final PrintWriter log;
    private final Set<String> presenceOff = new HashSet<>();

    public Replayer(Options options, PrintWriter log) {
        this.options = options;
        this.log = log;
    }

    public Result run() throws RecordingException {
        RecordingFile.Recording recording = RecordingFile.read(options.file());
        recording.warnings().forEach(w -> warn(w));
        Set<String> recorded = recording.channels();
        for (String from : options.channelMap().keySet()) {
            if (!recorded.contains(from)) {
                throw new RecordingException(
                        RecordingException.USAGE,
                        "--channel-map " + from + "=…: the recording has no channel " + from + " (it has "
                                + String.join(", ", recorded) + ")");
            }
        }
        Set<String> presenceChannels = new LinkedHashSet<>();
        for (RecordedEvent e : recording.events()) {
            if (e.type() == RecordedEvent.Type.PRESENCE) {
                presenceChannels.add(target(e.channel()));
            }
        }
        RestPublisher rest = new RestPublisher(options.endpoint());
        RealtimeConnection realtime =
                presenceChannels.isEmpty() ? null : RealtimeConnection.open(options.endpoint(), frame -> {}, TIMEOUT);
        try {
            if (realtime != null) {
                for (String channel : presenceChannels) {
                    attachForPresence(realtime, channel);
                }
            }
            return replay(recording.events(), rest, realtime);
        } finally {
            if (realtime != null) {
                realtime.close();
            }
        }
    }

    private Result replay(List<RecordedEvent> events, RestPublisher rest, @Nullable RealtimeConnection realtime)
            throws RecordingException {
        long messages = 0;
        long presence = 0;
        long skipped = 0;
        long start = System.nanoTime();
        long firstOffset = events.isEmpty() ? 0 : events.get(0).offsetMs();
        for (RecordedEvent e : events) {
            waitUntil(start, e.offsetMs() - firstOffset);
            String channel = target(e.channel());
            String where = options.file() + " line " + e.line();
            if (e.type() == RecordedEvent.Type.MESSAGE) {
                if (e.fields().has("messageAction")) {
                    skipped++;
                    continue;
                }
                rest.publish(channel, copy(e.fields()), where);
                messages++;
            } else if (realtime == null || presenceOff.contains(channel) || "absent".equals(e.presenceAction())) {
                skipped++;
            } else if (enter(realtime, channel, e, where)) {
                presence++;
            } else {
                skipped++;
            }
        }
        if (skipped > 0) {
            warn(skipped + " events were not replayed (presence that could not be sent, absent members, message"
                    + " updates or deletes; see above)");
        }
        return new Result(messages, presence, skipped, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
    }

    private void attachForPresence(RealtimeConnection realtime, String channel) throws RecordingException {
        try {
            realtime.attach(channel, RealtimeConnection.MODE_PRESENCE);
        } catch (AblyError.Failure f) {
            presenceOff.add(channel);
            warn("presence on " + channel + " is skipped: the server refused to attach for presence: " + f.error);
        }
    }

    /** Sends one presence event; false (and a warning) when the server refused it. */
    private boolean enter(RealtimeConnection realtime, String channel, RecordedEvent e, String where)
            throws RecordingException {
        ObjectNode p = copy(e.fields());
        String action = e.presenceAction();
        // a member already present when the recording began enters; any other action is sent as recorded
        p.put("action", RecordingFile.PRESENCE_ACTIONS.indexOf("present".equals(action) ? "enter" : action));
        AblyError refused = realtime.presence(channel, p);
        if (refused == null) {
            return true;
        }
        if (PRESENCE_REFUSALS.contains(refused.code())) {
            presenceOff.add(channel);
            warn(where + ": presence on " + channel + " is skipped from here on: the server refused "
                    + action + " of " + p.path("clientId").asText("(no clientId)") + ": " + refused
                    + " (replaying presence needs a key with the presence capability, which may act for any clientId)");
        } else {
            warn(where + ": the server refused presence " + action + " of "
                    + p.path("clientId").asText("(no clientId)") + " on " + channel + ": " + refused);
        }
        return false;
    }

    private static ObjectNode copy(ObjectNode fields) {
        ObjectNode m = RecordingFile.JSON.createObjectNode();
        for (String f : REPLAYED_FIELDS) {
            JsonNode v = fields.get(f);
            if (v != null && !v.isNull()) {
                m.set(f, v);
            }
        }
        return m;
    }

    private String target(String recorded) {
        return options.channelMap().getOrDefault(recorded, recorded);
    }

    private void waitUntil(long startNanos, long offsetMs) throws RecordingException {
        if (options.speed() == 0) {
            return;
        }
        long due = startNanos + (long) (TimeUnit.MILLISECONDS.toNanos(offsetMs) / options.speed());
        try {
            for (long left = due - System.nanoTime(); left > 0; left = due - System.nanoTime()) {
                TimeUnit.NANOSECONDS.sleep(left); // pacing the replay, which is this command's job
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RecordingException(RecordingException.UNREACHABLE, "interrupted", e);
        }
    }

    private void warn(String message) {
        log.println("herald replay: warning: " + message);
        log.flush();
    }
}
