package io.herald.protocol;

import com.fasterxml.jackson.core.io.SerializedString;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * A wire field name, pre-encoded once for both formats: a quoted JSON name and a msgpack {@code str} (header +
 * UTF-8 bytes), so writing a known field is one copy. The names are Ably's (SPEC TR4, TM2, TP3, TI1, CD2, AD1).
 */
final class Key {
    /** Every key, by UTF-8 length (declared first: static fields initialise in textual order). */
    private static final Key[][] BY_LENGTH = new Key[32][0];

    static final Key ACTION = new Key("action");
    static final Key FLAGS = new Key("flags");
    static final Key ID = new Key("id");
    static final Key CHANNEL = new Key("channel");
    static final Key CHANNEL_SERIAL = new Key("channelSerial");
    static final Key CONNECTION_ID = new Key("connectionId");
    static final Key CONNECTION_KEY = new Key("connectionKey");
    static final Key CONNECTION_DETAILS = new Key("connectionDetails");
    static final Key COUNT = new Key("count");
    static final Key ERROR = new Key("error");
    static final Key MSG_SERIAL = new Key("msgSerial");
    static final Key TIMESTAMP = new Key("timestamp");
    static final Key MESSAGES = new Key("messages");
    static final Key PRESENCE = new Key("presence");
    static final Key AUTH = new Key("auth");
    static final Key PARAMS = new Key("params");
    static final Key RES = new Key("res");
    static final Key STATE = new Key("state");
    static final Key ANNOTATIONS = new Key("annotations");

    static final Key NAME = new Key("name");
    static final Key DATA = new Key("data");
    static final Key ENCODING = new Key("encoding");
    static final Key CLIENT_ID = new Key("clientId");
    static final Key EXTRAS = new Key("extras");
    static final Key SERIAL = new Key("serial");
    static final Key VERSION = new Key("version");

    static final Key MESSAGE = new Key("message");
    static final Key CODE = new Key("code");
    static final Key STATUS_CODE = new Key("statusCode");
    static final Key HREF = new Key("href");
    static final Key ACCESS_TOKEN = new Key("accessToken");
    static final Key SERIALS = new Key("serials");

    static final Key MAX_MESSAGE_SIZE = new Key("maxMessageSize");
    static final Key MAX_FRAME_SIZE = new Key("maxFrameSize");
    static final Key MAX_INBOUND_RATE = new Key("maxInboundRate");
    static final Key MAX_OUTBOUND_RATE = new Key("maxOutboundRate");
    static final Key CONNECTION_STATE_TTL = new Key("connectionStateTtl");
    static final Key MAX_IDLE_INTERVAL = new Key("maxIdleInterval");
    static final Key SERVER_ID = new Key("serverId");
    static final Key SITE_CODE = new Key("siteCode");
    static final Key OBJECTS_GC_GRACE_PERIOD = new Key("objectsGCGracePeriod");

    final String name;
    final SerializedString json;
    /** msgpack fixstr header and UTF-8 bytes (every name here is ASCII and shorter than 32 bytes). */
    final byte[] msgpack;

    private Key(String name) {
        byte[] utf8 = name.getBytes(StandardCharsets.UTF_8);
        if (utf8.length > 31) {
            throw new IllegalArgumentException("key too long for fixstr: " + name);
        }
        this.name = name;
        this.json = new SerializedString(name);
        this.msgpack = new byte[utf8.length + 1];
        this.msgpack[0] = (byte) (0xa0 | utf8.length);
        System.arraycopy(utf8, 0, this.msgpack, 1, utf8.length);
        Key[] same = Arrays.copyOf(BY_LENGTH[utf8.length], BY_LENGTH[utf8.length].length + 1);
        same[same.length - 1] = this;
        BY_LENGTH[utf8.length] = same;
    }

    /**
     * The constant name whose UTF-8 bytes are {@code in[from, from + len)}, or {@code null}: lets the msgpack reader
     * return a shared String for known field names instead of decoding a new one.
     */
    static @Nullable String known(byte[] in, int from, int len) {
        if (len >= BY_LENGTH.length) {
            return null;
        }
        for (Key key : BY_LENGTH[len]) {
            if (Arrays.equals(key.msgpack, 1, len + 1, in, from, from + len)) {
                return key.name;
            }
        }
        return null;
    }

    @Override
    public String toString() {
        return name;
    }
}
