package io.herald.disk;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.herald.core.engine.ChannelEvent;
import io.herald.core.engine.ChannelId;
import io.herald.core.engine.ChannelSerial;
import io.herald.core.engine.Revocation;
import io.herald.core.objects.ObjectMessage;
import io.herald.core.objects.ObjectMessages;
import io.herald.protocol.Format;
import io.herald.protocol.ProtocolCodec;
import io.herald.protocol.ProtocolMessage;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * How the store's keys and values are laid out. Column families:
 * <ul>
 * <li>{@code default}: the store's own state ({@code state} = {@code open} or {@code clean}, {@code boot} = the
 *     boot id of the machine that last opened it);</li>
 * <li>{@code channels}: channel key &rarr; {@link Meta} (epoch, last seq, first seq of the epoch);</li>
 * <li>{@code events}: channel key + seq (8 bytes, big-endian, so a channel's events are adjacent and in order)
 *     &rarr; expiry (8 bytes) + the event's ProtocolMessage in msgpack, exactly the frame sent to msgpack clients;</li>
 * <li>{@code ids}: channel key + client message id &rarr; expiry (the idempotent-publish window);</li>
 * <li>{@code nonces}: key name + NUL + nonce &rarr; expiry;</li>
 * <li>{@code revocations}: key name + NUL + a random id &rarr; the revocation.</li>
 * <li>{@code objects} (no TTL: objects outlive the log): channel key + 0 &rarr; the channel's LiveObjects pool
 *     folded up to a seq ({@link #objectsValue}), and channel key + 1 + seq &rarr; the stamped operations of the
 *     OBJECT event at that seq, for the events after the folded pool.</li>
 * </ul>
 * A channel key is the app id and the channel name, each preceded by its length, so no channel's key is a prefix of
 * another's. Expiries are in the values because RocksDB's TTL (which deletes during compaction) is per column family
 * and approximate: reads skip anything expired, compaction reclaims it.
 */
final class Layout {
    private static final ProtocolCodec MSGPACK = ProtocolCodec.of(Format.MSGPACK);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final byte OBJECTS_FORMAT = 1;

    private Layout() {}

    /** A channel's epoch, its last seq and the first seq of this epoch (a resume from before it is not continuous). */
    record Meta(String epoch, long lastSeq, long epochStart) {
        byte[] encode() {
            byte[] e = epoch.getBytes(StandardCharsets.UTF_8);
            return ByteBuffer.allocate(2 + e.length + 16)
                    .putShort((short) e.length)
                    .put(e)
                    .putLong(lastSeq)
                    .putLong(epochStart)
                    .array();
        }

        static Meta decode(byte[] b) {
            ByteBuffer buf = ByteBuffer.wrap(b);
            byte[] e = new byte[buf.getShort()];
            buf.get(e);
            return new Meta(new String(e, StandardCharsets.UTF_8), buf.getLong(), buf.getLong());
        }
    }

    static byte[] channelKey(ChannelId id) {
        byte[] app = id.appId().getBytes(StandardCharsets.UTF_8);
        byte[] name = id.name().getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(4 + app.length + name.length)
                .putShort((short) app.length)
                .put(app)
                .putShort((short) name.length)
                .put(name)
                .array();
    }

    static byte[] eventKey(byte[] channelKey, long seq) {
        return ByteBuffer.allocate(channelKey.length + 8)
                .put(channelKey)
                .putLong(seq)
                .array();
    }

    static long seqOf(byte[] eventKey) {
        return ByteBuffer.wrap(eventKey, eventKey.length - 8, 8).getLong();
    }

    static boolean isEventOf(byte[] key, byte[] channelKey) {
        return key.length == channelKey.length + 8
                && Arrays.equals(key, 0, channelKey.length, channelKey, 0, channelKey.length);
    }

    static byte[] idKey(byte[] channelKey, String messageId) {
        byte[] id = messageId.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(channelKey.length + id.length)
                .put(channelKey)
                .put(id)
                .array();
    }

    static byte[] nonceKey(String keyName, String nonce) {
        return (keyName + '\0' + nonce).getBytes(StandardCharsets.UTF_8);
    }

    static byte[] revocationKey(String keyName, String unique) {
        return (keyName + '\0' + unique).getBytes(StandardCharsets.UTF_8);
    }

    static byte[] expiry(long expiresAt) {
        return ByteBuffer.allocate(8).putLong(expiresAt).array();
    }

    static long expiryOf(byte[] value) {
        return ByteBuffer.wrap(value, 0, 8).getLong();
    }

    static byte[] eventValue(ChannelEvent event, long expiresAt) {
        byte[] frame = event.encoded(Format.MSGPACK);
        return ByteBuffer.allocate(8 + frame.length)
                .putLong(expiresAt)
                .put(frame)
                .array();
    }

    static ChannelEvent eventOf(ChannelId channel, byte[] value) {
        ProtocolMessage pm = MSGPACK.decode(Arrays.copyOfRange(value, 8, value.length));
        ChannelSerial serial = ChannelSerial.parse(pm.channelSerial);
        if (serial == null) {
            throw new IllegalStateException("stored event of " + channel + " has no channelSerial");
        }
        return new ChannelEvent(channel, serial, pm);
    }

    static byte[] objectsPoolKey(byte[] channelKey) {
        return ByteBuffer.allocate(channelKey.length + 1)
                .put(channelKey)
                .put((byte) 0)
                .array();
    }

    static byte[] objectsOpKey(byte[] channelKey, long seq) {
        return ByteBuffer.allocate(channelKey.length + 9)
                .put(channelKey)
                .put((byte) 1)
                .putLong(seq)
                .array();
    }

    static boolean isObjectsOpOf(byte[] key, byte[] channelKey) {
        return key.length == channelKey.length + 9
                && key[channelKey.length] == 1
                && Arrays.equals(key, 0, channelKey.length, channelKey, 0, channelKey.length);
    }

    /** A stored objects record: a format byte, the seq it is current to and the object messages as a JSON array. */
    static byte[] objectsValue(long seq, List<ObjectMessage> messages) {
        byte[] json;
        try {
            json = JSON.writeValueAsBytes(ObjectMessages.write(messages));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return ByteBuffer.allocate(9 + json.length)
                .put(OBJECTS_FORMAT)
                .putLong(seq)
                .put(json)
                .array();
    }

    record ObjectsRecord(long seq, List<ObjectMessage> messages) {}

    /**
     * Reads an {@link #objectsValue}.
     *
     * @throws IllegalArgumentException saying what is wrong with a record that is not one
     */
    static ObjectsRecord objectsOf(byte[] value) {
        if (value.length < 10 || value[0] != OBJECTS_FORMAT) {
            throw new IllegalArgumentException("not an objects record of format " + OBJECTS_FORMAT + " (" + value.length
                    + " bytes, first " + (value.length == 0 ? "none" : value[0]) + ")");
        }
        long seq = ByteBuffer.wrap(value, 1, 8).getLong();
        try {
            JsonNode node = JSON.readTree(Arrays.copyOfRange(value, 9, value.length));
            return new ObjectsRecord(seq, ObjectMessages.read(node));
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("its object messages cannot be read: " + e.getMessage(), e);
        }
    }

    static byte[] revocationValue(Revocation r) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeUTF(r.keyName());
            out.writeUTF(r.type());
            out.writeUTF(r.value());
            out.writeLong(r.issuedBefore());
            out.writeLong(r.appliesAt());
            out.writeLong(r.expiresAt());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    static Revocation revocationOf(byte[] value) {
        try (DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(value))) {
            return new Revocation(
                    in.readUTF(), in.readUTF(), in.readUTF(), in.readLong(), in.readLong(), in.readLong());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
