package io.herald.server.recording;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The recording file: JSON Lines, UTF-8. The first line is the header
 * {@code {"format":"herald-recording","version":1,"startedAt":"<ISO-8601>","url":"…","channels":[…]}}; every further
 * line one event {@code {"offsetMs":N,"channel":"…","type":"message"|"presence", <the message's fields>}}.
 */
public final class RecordingFile {
    public static final String FORMAT = "herald-recording";
    public static final int VERSION = 1;
    static final ObjectMapper JSON = new ObjectMapper();
    static final List<String> PRESENCE_ACTIONS = List.of("absent", "present", "enter", "leave", "update");

    private RecordingFile() {}

    /** A file read and checked: its header, its events in file order, and what the reader let pass. */
    public record Recording(ObjectNode header, List<RecordedEvent> events, List<String> warnings) {
        /** The channels the header names, then any other an event names, in order of appearance. */
        public Set<String> channels() {
            Set<String> all = new LinkedHashSet<>();
            header.path("channels").forEach(c -> all.add(c.asText()));
            events.forEach(e -> all.add(e.channel()));
            return all;
        }
    }

    static ObjectNode header(Instant startedAt, String url, List<String> channels) {
        ObjectNode h = JSON.createObjectNode();
        h.put("format", FORMAT);
        h.put("version", VERSION);
        h.put("startedAt", startedAt.toString());
        h.put("url", url);
        ArrayNode list = h.putArray("channels");
        channels.forEach(list::add);
        return h;
    }

    /**
     * Reads and checks the whole file before anything is replayed. A last line without its newline that is not JSON
     * is what a recorder killed mid-write leaves: it is dropped with a warning. Anything else wrong is an error
     * naming the line.
     */
    public static Recording read(Path file) throws RecordingException {
        List<String> lines = new ArrayList<>();
        boolean endsWithNewline;
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                lines.add(line);
            }
            long size = Files.size(file);
            endsWithNewline = size == 0 || lastByte(file, size) == '\n';
        } catch (NoSuchFileException e) {
            throw new RecordingException(RecordingException.FILE, file + ": no such file");
        } catch (CharacterCodingException e) {
            throw new RecordingException(RecordingException.FILE, file + ": not a recording (not UTF-8 text)");
        } catch (IOException e) {
            throw new RecordingException(RecordingException.FILE, file + ": cannot read it: " + e.getMessage(), e);
        }
        if (lines.isEmpty()) {
            throw new RecordingException(RecordingException.FILE, file + ": line 1: the file is empty (no header)");
        }
        ObjectNode header = header(file, lines.get(0));
        List<RecordedEvent> events = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        long last = 0;
        for (int i = 1; i < lines.size(); i++) {
            int lineNo = i + 1;
            String text = lines.get(i);
            if (text.isBlank()) {
                continue;
            }
            JsonNode node;
            try {
                node = JSON.readTree(text);
            } catch (JsonProcessingException e) {
                if (i == lines.size() - 1 && !endsWithNewline) {
                    warnings.add(file + ": line " + lineNo + " is cut short (the recorder stopped while writing it);"
                            + " it is left out");
                    break;
                }
                throw corrupt(file, lineNo, "not JSON (" + e.getOriginalMessage() + ")");
            }
            RecordedEvent event = event(file, lineNo, node);
            if (event.offsetMs() < last) {
                throw corrupt(file, lineNo, "offsetMs " + event.offsetMs() + " is before the previous line's " + last);
            }
            last = event.offsetMs();
            events.add(event);
        }
        return new Recording(header, List.copyOf(events), List.copyOf(warnings));
    }

    private static int lastByte(Path file, long size) throws IOException {
        try (var ch = Files.newByteChannel(file)) {
            ch.position(size - 1);
            var one = java.nio.ByteBuffer.allocate(1);
            return ch.read(one) == 1 ? one.get(0) : -1;
        }
    }

    private static ObjectNode header(Path file, String line) throws RecordingException {
        JsonNode node;
        try {
            node = JSON.readTree(line);
        } catch (JsonProcessingException e) {
            throw corrupt(file, 1, "not a recording header (not JSON: " + e.getOriginalMessage() + ")");
        }
        if (!(node instanceof ObjectNode h) || !FORMAT.equals(h.path("format").asText())) {
            throw corrupt(file, 1, "not a recording header (no \"format\":\"" + FORMAT + "\")");
        }
        JsonNode version = h.path("version");
        if (!version.canConvertToInt() || !version.isIntegralNumber()) {
            throw corrupt(file, 1, "the header has no integer \"version\"");
        }
        if (version.asInt() != VERSION) {
            throw new RecordingException(
                    RecordingException.FILE,
                    file + ": line 1: unknown format version " + version.asInt() + " (this herald reads version "
                            + VERSION + ")");
        }
        return h;
    }

    private static RecordedEvent event(Path file, int line, JsonNode node) throws RecordingException {
        if (!(node instanceof ObjectNode o)) {
            throw corrupt(file, line, "an event must be a JSON object");
        }
        JsonNode offset = o.path("offsetMs");
        if (!offset.isIntegralNumber() || offset.asLong() < 0) {
            throw corrupt(file, line, "\"offsetMs\" must be a whole number of ms, 0 or more");
        }
        String channel = o.path("channel").asText("");
        if (!o.path("channel").isTextual() || channel.isEmpty()) {
            throw corrupt(file, line, "\"channel\" must be a channel name");
        }
        RecordedEvent.Type type;
        String typeName = o.path("type").asText("");
        if (RecordedEvent.Type.MESSAGE.wire().equals(typeName)) {
            type = RecordedEvent.Type.MESSAGE;
        } else if (RecordedEvent.Type.PRESENCE.wire().equals(typeName)) {
            type = RecordedEvent.Type.PRESENCE;
            if (!PRESENCE_ACTIONS.contains(o.path("action").asText(""))) {
                throw corrupt(file, line, "a presence event's \"action\" must be one of " + PRESENCE_ACTIONS);
            }
        } else {
            throw corrupt(file, line, "\"type\" must be \"message\" or \"presence\"");
        }
        for (String field : List.of("name", "encoding", "clientId")) {
            if (o.has(field) && !o.get(field).isTextual()) {
                throw corrupt(file, line, "\"" + field + "\" must be a string");
            }
        }
        if (o.has("extras") && !o.get("extras").isObject()) {
            throw corrupt(file, line, "\"extras\" must be a JSON object");
        }
        return new RecordedEvent(line, offset.asLong(), channel, type, o);
    }

    private static RecordingException corrupt(Path file, int line, String what) {
        return new RecordingException(RecordingException.FILE, file + ": line " + line + ": " + what);
    }
}
