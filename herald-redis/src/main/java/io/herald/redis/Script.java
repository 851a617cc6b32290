package io.herald.redis;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** A Lua script from this package's resources, run by its SHA1 ({@code EVALSHA}) and sent whole when Redis lacks it. */
@SuppressWarnings("ArrayRecordComponent") // never compared or hashed: one constant per script, known by its sha
record Script(String name, byte[] body, String sha) {

    static final Script PUBLISH = load("publish");
    static final Script READ = load("read");
    static final Script HEARTBEAT = load("heartbeat");
    static final Script NODES = load("nodes");
    static final Script OWNED = load("owned");
    static final Script REASSIGN = load("reassign");
    static final Script REVOKE = load("revoke");
    static final Script PRUNE = load("prune");
    static final Script OBJECTS = load("objects");
    static final Script OBJECTS_READ = load("objects_read");
    static final Script OBJECTS_COMPACT = load("objects_compact");
    static final java.util.List<Script> ALL =
            java.util.List.of(PUBLISH, READ, HEARTBEAT, NODES, OWNED, REASSIGN, REVOKE, PRUNE);

    static Script load(String name) {
        try (InputStream in = Script.class.getResourceAsStream(name + ".lua")) {
            if (in == null) {
                throw new IllegalStateException("missing script " + name + ".lua");
            }
            byte[] body = in.readAllBytes();
            return new Script(
                    name,
                    body,
                    HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(body)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String toString() {
        return name + ".lua";
    }
}
