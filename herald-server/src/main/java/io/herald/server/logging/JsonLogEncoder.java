package io.herald.server.logging;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.encoder.EncoderBase;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.event.KeyValuePair;

/**
 * One JSON object per line (for log shippers): {@code time} (ISO-8601 UTC), {@code level}, {@code logger},
 * {@code thread}, {@code message}, then the event's key-value pairs as fields of their own (numbers and booleans
 * stay JSON numbers and booleans), the MDC, and {@code error} / {@code stack} for an exception. A pair whose key
 * is one of the fixed names is written as {@code kv_<key>}.
 *
 * <pre>{"time":"2025-01-01T12:00:00.123Z","level":"INFO","logger":"herald.audit","thread":"nioEventLoopGroup-3-1",
 * "message":"token issued","outcome":"issued","keyName":"app.k1","clientId":"alice",...}</pre>
 */
public final class JsonLogEncoder extends EncoderBase<ILoggingEvent> {
    private static final Set<String> RESERVED =
            Set.of("time", "level", "logger", "thread", "message", "error", "stack");
    private static final byte[] NONE = new byte[0];
    private final JsonFactory json = new JsonFactory();

    @Override
    public byte[] headerBytes() {
        return NONE;
    }

    @Override
    public byte[] encode(ILoggingEvent event) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try (JsonGenerator g = json.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField(
                    "time", Instant.ofEpochMilli(event.getTimeStamp()).toString());
            g.writeStringField("level", event.getLevel().toString());
            g.writeStringField("logger", event.getLoggerName());
            g.writeStringField("thread", event.getThreadName());
            g.writeStringField("message", event.getFormattedMessage());
            List<KeyValuePair> kvps = event.getKeyValuePairs();
            if (kvps != null) {
                for (KeyValuePair kv : kvps) {
                    g.writeFieldName(RESERVED.contains(kv.key) ? "kv_" + kv.key : kv.key);
                    writeValue(g, kv.value);
                }
            }
            Map<String, String> mdc = event.getMDCPropertyMap();
            if (mdc != null) {
                for (Map.Entry<String, String> e : mdc.entrySet()) {
                    g.writeStringField(RESERVED.contains(e.getKey()) ? "mdc_" + e.getKey() : e.getKey(), e.getValue());
                }
            }
            IThrowableProxy t = event.getThrowableProxy();
            if (t != null) {
                g.writeStringField("error", t.getClassName() + (t.getMessage() == null ? "" : ": " + t.getMessage()));
                g.writeStringField("stack", ThrowableProxyUtil.asString(t));
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        out.write('\n');
        return out.toByteArray();
    }

    private static void writeValue(JsonGenerator g, Object v) throws IOException {
        if (v == null) {
            g.writeNull();
        } else if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte) {
            g.writeNumber(((Number) v).longValue());
        } else if (v instanceof Double || v instanceof Float) {
            g.writeNumber(((Number) v).doubleValue());
        } else if (v instanceof Boolean b) {
            g.writeBoolean(b);
        } else {
            g.writeString(v.toString());
        }
    }

    @Override
    public byte[] footerBytes() {
        return NONE;
    }
}
