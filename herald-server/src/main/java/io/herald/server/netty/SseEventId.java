package io.herald.server.netty;

import io.herald.core.internal.AblyException;
import io.herald.protocol.ErrorCode;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.zip.CRC32;
import org.jspecify.annotations.Nullable;

/**
 * The {@code id} of an SSE event: where each channel of the stream stands, so that a reconnect
 * ({@code Last-Event-ID} or {@code lastEvent}) re-attaches every channel from its own channelSerial (docs/protocol.md
 * §6.3, §15). Its text is {@code <fingerprint>~<serial>,<serial>,...}: an 8-hex-digit CRC-32 of the channel list, then
 * one channelSerial per channel in the order of the {@code channels} parameter, empty where none is known. The
 * fingerprint refuses an id that belongs to another channel list.
 */
final class SseEventId {
    private static final Pattern SERIAL = Pattern.compile("[A-Za-z0-9-]{0,64}");

    private final String fingerprint;
    private final @Nullable String[] serials;

    SseEventId(List<String> channels) {
        this.fingerprint = fingerprint(channels);
        this.serials = new String[channels.size()];
    }

    static SseEventId parse(String text, List<String> channels) {
        SseEventId id = new SseEventId(channels);
        int tilde = text.indexOf('~');
        if (tilde < 0 || !text.substring(0, tilde).equals(id.fingerprint)) {
            throw new AblyException(
                    ErrorCode.INVALID_PARAMETER_VALUE, "lastEvent is not an event id of a stream on these channels");
        }
        String[] parts = text.substring(tilde + 1).split(",", -1);
        if (parts.length != channels.size()) {
            throw new AblyException(ErrorCode.INVALID_PARAMETER_VALUE, "lastEvent does not match these channels");
        }
        for (int i = 0; i < parts.length; i++) {
            if (!SERIAL.matcher(parts[i]).matches()) {
                throw new AblyException(ErrorCode.INVALID_PARAMETER_VALUE, "lastEvent holds an invalid channelSerial");
            }
            id.serials[i] = parts[i].isEmpty() ? null : parts[i];
        }
        return id;
    }

    /** The channelSerial of channel {@code i}, or {@code null} when none is known. */
    @Nullable
    String serial(int i) {
        return serials[i];
    }

    void set(int i, @Nullable String serial) {
        if (serial != null && SERIAL.matcher(serial).matches()) {
            serials[i] = serial;
        }
    }

    String text() {
        StringBuilder sb = new StringBuilder(fingerprint).append('~');
        for (int i = 0; i < serials.length; i++) {
            if (i > 0) {
                sb.append(',');
            }
            String s = serials[i];
            if (s != null) {
                sb.append(s);
            }
        }
        return sb.toString();
    }

    private static String fingerprint(List<String> channels) {
        CRC32 crc = new CRC32();
        crc.update(String.join("\n", channels).getBytes(StandardCharsets.UTF_8));
        return String.format(Locale.ROOT, "%08x", crc.getValue());
    }

    @Override
    public String toString() {
        return text() + " " + Arrays.toString(serials);
    }
}
