package io.herald.server.config;

import io.herald.core.config.Limits;
import io.herald.core.config.Timings;
import java.io.IOException;
import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * What each setting means and its default: the README's configuration tables are rendered from here
 * ({@link #rewrite}), and a test fails when README.md differs or when a key here is not a key of {@link ConfigFile}'s
 * records (or of {@link Limits} / {@link Timings}), so the documentation, the binding and the defaults cannot drift
 * apart. The defaults of {@code limits} and {@code timings} are read from {@link Limits#DEFAULTS} and
 * {@link Timings#DEFAULTS}. Regenerate the README with {@link #main} (CONTRIBUTING.md says how).
 */
public final class ConfigReference {

    /**
     * One documented setting, one row of a README table.
     *
     * @param key         its path in the YAML file ({@code disk.fsync}, {@code keys[].key}); empty for a setting of the
     *                    command line or the environment only
     * @param cli         the command-line option or environment variable that sets it too, Markdown; empty if none
     * @param defaultText its default, Markdown
     * @param doc         what it does, Markdown
     */
    public record Setting(String key, String cli, String defaultText, String doc) {}

    /** The README's generated tables, each between {@code <!-- generated: NAME -->} and {@code <!-- end generated: NAME -->}. */
    public enum Table {
        CONFIG("config-table", "| YAML key | command line / environment | default | meaning |\n|---|---|---|---|\n"),
        APPS("apps-table", "| key | default | meaning |\n|---|---|---|\n"),
        TIMINGS("timings-table", "| key | default | meaning |\n|---|---|---|\n"),
        LIMITS("limits-table", "| `limits` key | default | when exceeded |\n|---|---|---|\n");

        final String marker;
        final String header;

        Table(String marker, String header) {
            this.marker = marker;
            this.header = header;
        }
    }

    private static final List<Setting> CONFIG = List.of(
            new Setting(
                    "port",
                    "`--port`",
                    "`" + ServerConfig.DEFAULT_PORT + "`",
                    "REST, WebSocket, health and metrics, all on this one port (`0` = any free port)"),
            new Setting("host", "`--host`", "`" + ServerConfig.DEFAULT_HOST + "`", "interface to bind"),
            new Setting(
                    "engine",
                    "`--engine`",
                    "`disk` for `./herald serve` (`memory` when a program builds its configuration itself, as "
                            + "tests do)",
                    "`disk` (one node; persisted channels' history and serials, nonces and revocations "
                            + "survive restarts and crashes, [docs/durability.md](docs/durability.md)), `memory` (one "
                            + "node, nothing survives a restart; what `./herald demo` uses) or `redis` (several nodes "
                            + "sharing channels, presence, history, nonces, revocations; needs the herald-redis engine "
                            + "on the class path)"),
            new Setting(
                    "dataDir",
                    "`--data-dir`",
                    "`./herald-data`",
                    "`engine: disk`: the store's directory (RocksDB), created if missing; one node per "
                            + "directory (a second one exits with a message)"),
            new Setting(
                    "disk.fsync",
                    "`--fsync`",
                    "`interval`",
                    "`engine: disk`: every publish to a persisted channel is acknowledged only once it is in "
                            + "the write-ahead log (a process crash loses nothing acknowledged); `always` also fsyncs "
                            + "each group commit before acknowledging (nothing acknowledged is lost even on power loss; "
                            + "slower, see docs/durability.md), `interval` fsyncs every `disk.fsyncInterval` (a power "
                            + "loss may lose that much), `never` leaves it to the OS"),
            new Setting(
                    "disk.fsyncInterval",
                    "",
                    "`1s`",
                    "`engine: disk`, `fsync: interval`: how often the log is fsynced"),
            new Setting(
                    "disk.maxDiskBytes",
                    "",
                    "`10gb` (a number of bytes, or with `kb`, `mb`, `gb`)",
                    "`engine: disk`: when the directory holds this much, publishes to persisted channels are "
                            + "refused with 50300 (NACK, HTTP 503 over REST) and an error is logged, until retention "
                            + "frees space or the limit is raised"),
            new Setting(
                    "disk.diskChannels",
                    "",
                    "`persisted`",
                    "`engine: disk`: `persisted` keeps channels of persisted namespaces on disk, `all` every "
                            + "channel"),
            new Setting(
                    "",
                    "`./herald backup --data-dir D --out DIR`",
                    "",
                    "a consistent copy of the store, taken while the node runs; restore by starting with "
                            + "`--data-dir DIR` (docs/durability.md)"),
            new Setting(
                    "redis",
                    "`--redis`",
                    "none",
                    "Redis URI for `engine: redis`, e.g. `redis://127.0.0.1:6379`, or `redis-cluster://h1:p1,h2:p2` "
                            + "(seeds of a Redis Cluster, [docs/redis.md](docs/redis.md))"),
            new Setting(
                    "serverId",
                    "`--server-id`",
                    "`herald-` + 6 random characters",
                    "this node's id (`X-Ably-Serverid`, connection records)"),
            new Setting(
                    "sandbox",
                    "`--sandbox`",
                    "`false`",
                    "the test-only app provisioning endpoints (`POST /apps`) for the ably-js suite; never in "
                            + "production; refused on a non-loopback `host` unless `--sandbox-public`"),
            new Setting("workerThreads", "", "`0` (= number of cores)", "Netty event loop threads"),
            new Setting(
                    "drainSeconds",
                    "",
                    "`" + ServerConfig.DEFAULT_DRAIN_SECONDS + "`",
                    "on shutdown (SIGTERM, Ctrl-C), the longest the drain may take: publishes already "
                            + "received are completed and acknowledged, then every client is told to reconnect "
                            + "(elsewhere, with a shared engine)"),
            new Setting(
                    "apps",
                    "`--key` (repeatable), `HERALD_KEYS` (comma or space separated)",
                    "a generated development key with full access, printed at startup",
                    "apps and their keys; `--key` and `HERALD_KEYS` add full-access keys (`{\"*\":[\"*\"]}`)"),
            new Setting("limits", "", "see the limits table below", "size and rate limits"),
            new Setting("timings", "", "see below", "protocol timings"),
            new Setting(
                    "metrics.token",
                    "`HERALD_METRICS_TOKEN`",
                    "none",
                    "when set (16+ characters), `GET /metrics` needs `Authorization: Bearer <token>` (401 / "
                            + "40100 otherwise)"),
            new Setting(
                    "admin.token",
                    "`HERALD_ADMIN_TOKEN`",
                    "none (no admin page: `/admin` answers 404)",
                    "when set (16+ characters), turns on the admin page `/admin` and its JSON "
                            + "`GET /admin/api/summary`, which needs `Authorization: Bearer <token>` (401 / 40100 "
                            + "otherwise; an app key or token never works). Keep it apart from `metrics.token`; "
                            + "see docs/admin.md"),
            new Setting(
                    "control.token",
                    "`HERALD_CONTROL_TOKEN`",
                    "none (no control API: `/control` answers 404; with `--sandbox` a token is generated and logged)",
                    "when set (16+ characters), turns on the fault control API `/control/faults` (docs/faults.md), "
                            + "which needs `Authorization: Bearer <token>` (401 / 40100 otherwise; an app key or "
                            + "token never works). For dev and CI only"),
            new Setting(
                    "cors.allowedOrigins",
                    "",
                    "`[\"*\"]`",
                    "browser origins answered with `Access-Control-Allow-Origin` + "
                            + "`Access-Control-Allow-Credentials` (ably-js sends its `Authorization` header as a "
                            + "credentialed request, so it needs both); any other origin gets neither header and its "
                            + "browser refuses it the answer. `*` = every origin, safe because Herald sets no cookies "
                            + "and never asks for a browser login"),
            new Setting(
                    "",
                    "`--log-format`, `HERALD_LOG_FORMAT`",
                    "`text`",
                    "log output on stderr: `text` (human-readable) or `json` (one object per line)"),
            new Setting("", "`HERALD_LOG_LEVEL`", "`INFO`", "root log level"),
            new Setting(
                    "",
                    "`HERALD_AUDIT_LOG_LEVEL`",
                    "`INFO`",
                    "the `herald.audit` logger: `INFO` = tokens issued and refused, `WARN` = refused only, " + "`OFF`"),
            new Setting("", "`HERALD_JAVA_OPTS`", "none", "JVM options used by the `./herald` script (e.g. `-Xmx2g`)"));

    private static final List<Setting> APPS = List.of(
            new Setting("id", "", "required", "the app id, the part of a key before the `.`"),
            new Setting(
                    "limits",
                    "",
                    "the node's `limits`",
                    "this app's own limits (any key of the limits table below), over the node's"),
            new Setting("keys[].key", "", "required", "`appId.keyId:secret`; the appId must be this app's `id`"),
            new Setting(
                    "keys[].capability",
                    "",
                    "`{\"*\":[\"*\"]}`",
                    "the key's capability (JSON string or YAML mapping); every token is at most this"),
            new Setting(
                    "keys[].revocableTokens",
                    "",
                    "`false`",
                    "tokens of this key can be revoked (`POST /keys/{keyName}/revokeTokens`); their ttl is "
                            + "capped by `maxRevocableTokenTtl`"),
            new Setting(
                    "namespaces[].id",
                    "",
                    "with no namespaces, one: `persisted` (persisted)",
                    "channels named `id:…` follow these rules"),
            new Setting(
                    "namespaces[].persisted",
                    "",
                    "`false`",
                    "history kept for `persistedRetention` instead of `historyRetention`"),
            new Setting(
                    "namespaces[].pushEnabled",
                    "",
                    "`false`",
                    "`true` is refused at start-up: push notifications are not implemented"),
            new Setting(
                    "namespaces[].mutableMessages",
                    "",
                    "`false`",
                    "messages may be updated, deleted and appended to (protocol.md §7.8), and annotated (§7.10); needs"
                            + " `message-update-own`/`-any` (update, append) or `message-delete-own`/`-any` (delete),"
                            + " `annotation-publish`/`annotation-subscribe` for annotations"),
            new Setting(
                    "webhooks[].url",
                    "",
                    "required",
                    "an `http://` or `https://` URL: this app's events are POSTed there in batches, in Ably's enveloped"
                            + " format, signed with the app's first key (docs/webhooks.md); message data goes to that"
                            + " third party"),
            new Setting(
                    "webhooks[].channelFilter",
                    "",
                    "every channel",
                    "a Java regular expression searched in the channel name (for lifecycle events, the name of the"
                            + " channel they are about)"),
            new Setting(
                    "webhooks[].sources",
                    "",
                    "`[channel.message]`",
                    "any of `channel.message`, `channel.presence`, `channel.lifecycle`, `channel.occupancy`"),
            new Setting(
                    "webhooks[].enveloped",
                    "",
                    "`true`",
                    "`false` is refused at start-up: only enveloped requests are sent"),
            new Setting(
                    "webhooks[].batch",
                    "",
                    "`true`",
                    "up to 100 events (or 1 MiB) per request, gathered for 100 ms; `false`: one event per request"),
            new Setting(
                    "webhooks[].headers",
                    "",
                    "none",
                    "extra request headers, a mapping of name to value (not `Content-Type` or `X-Ably-*`)"));

    private static final List<Setting> TIMINGS = List.of(
            timing(
                    "maxIdleInterval",
                    "",
                    "the server is never silent longer than this on a connection (HEARTBEATs fill the gaps)"),
            timing("connectionStateTtl", "", "how long a dropped connection can be resumed"),
            timing(
                    "presenceLeaveDelay",
                    "",
                    "a dropped connection's presence members leave after this unless it resumes"),
            timing(
                    "reauthBeforeExpiry",
                    "",
                    "the server sends AUTH this long before a token expires (when the token lives longer)"),
            timing(
                    "tokenRequestWindow",
                    "",
                    "a TokenRequest's timestamp must be within this of the server clock (40104)"),
            timing("defaultTokenTtl", "", "ttl of a token when the request names none"),
            timing("maxTokenTtl", "", "largest ttl of an ordinary token (40003 beyond)"),
            timing("maxRevocableTokenTtl", "", "largest ttl of a token of a key with `revocableTokens`"),
            timing("historyRetention", "", "how long messages stay in history on ordinary channels"),
            timing("persistedRetention", "", "how long messages stay in history on persisted channels"),
            timing("idempotencyWindow", "", "how long message ids are remembered to drop duplicate publishes"),
            timing("revocationMargin", "", "with `allowReauthMargin`, how long after the revocation it is enforced"),
            timing(
                    "occupancyInterval",
                    "",
                    "occupancy events that change no mode are sent at most this often per channel; nodes renew and"
                            + " re-read their counts this often"),
            timing("statsRetention", "", "how long the per-minute usage statistics of `GET /stats` are kept"));

    private static final List<Setting> LIMITS = List.of(
            limit(
                    "maxMessageSize",
                    " bytes",
                    "the publish is refused with 40009 (NACK, or HTTP 413 over REST); counts every field a "
                            + "message carries: name + clientId + extras + data as Ably does, and also id, encoding, "
                            + "serial, version and annotations"),
            limit(
                    "maxFrameSize",
                    " bytes",
                    "a larger WebSocket frame gets an ERROR with 40009; a larger REST body an HTTP 413 with "
                            + "40009"),
            limit(
                    "maxInboundRate",
                    " messages/s per connection",
                    "counted per message (a frame of 10 messages takes 10), by a token bucket holding "
                            + "`maxInboundRate + inboundBurst`: NACK with 42911; persistent abuse disconnects the "
                            + "connection with 42921"),
            limit("inboundBurst", " messages", "extra messages allowed in a burst above `maxInboundRate` before 42911"),
            limit(
                    "maxMessagesPerProtocolMessage",
                    "",
                    "a MESSAGE or PRESENCE frame carrying more messages is NACKed with 40009"),
            limit(
                    "maxControlRate",
                    " frames/s per connection",
                    "ATTACH, DETACH, SYNC, AUTH and HEARTBEAT frames beyond it are refused (a channel ERROR "
                            + "with 42910 for ATTACH/DETACH/SYNC, others dropped); persistent abuse disconnects with "
                            + "42920"),
            limit(
                    "controlBurst",
                    " frames",
                    "extra control frames allowed in a burst above `maxControlRate` (a resuming client "
                            + "re-attaches every channel at once: keep it at least `maxChannelsPerConnection`)"),
            limit(
                    "maxOutboundQueueBytes",
                    " bytes per connection",
                    "a client reading too slowly has its socket closed (it reconnects and resumes); counted "
                            + "in `herald_outbound_queue_drops_total`"),
            limit("maxChannelsPerConnection", "", "the ATTACH is refused with 42913"),
            limit(
                    "maxPresenceMembers",
                    " per channel",
                    "the presence ENTER (or UPDATE of a client not yet present, which enters it) is refused "
                            + "with 91003"),
            limit("maxHistoryPerChannel", " events", "the in-memory engine keeps the newest events only (no error)"),
            limit(
                    "maxHistoryBytes",
                    ": a quarter of the JVM's maximum heap (node `limits` only)",
                    "the in-memory engine's history, all channels together, in the bytes it holds (each event is "
                            + "kept as its msgpack frame, on 1 KiB pages outside the heap, plus a 24-byte index entry "
                            + "on the heap): beyond it "
                            + "the oldest events of the channels being published to are dropped (down to 1/1024 under "
                            + "it, so that a node held at the budget does not evict on every publish), so a node under more "
                            + "traffic than this budget holds keeps a shorter history instead of running out of memory (no "
                            + "error; a resume or rewind past what is kept reports lost continuity)"),
            limit("maxConnectionsPerKey", " (unlimited)", "per key: a new connection beyond it is refused with 40111"),
            limit(
                    "maxRestRequestsPerSecond",
                    " (unlimited)",
                    "per key: REST requests beyond it get HTTP 429 with 42910"),
            limit(
                    "maxTokenRequestsPerSecond",
                    " (unlimited)",
                    "per key: `requestToken` calls beyond it get HTTP 429 with 42910"),
            limit(
                    "httpHeaderTimeout",
                    " (node `limits` only)",
                    "a request head not complete this long after the connection opened (or after the first "
                            + "byte of a later request on a keep-alive connection) gets HTTP 408 with 40000 and the "
                            + "connection is closed; a connection that sent nothing is just closed"),
            limit(
                    "httpBodyTimeout",
                    " (node `limits` only)",
                    "a request body not complete this long after its head: HTTP 408 with 40000, connection "
                            + "closed"),
            limit(
                    "httpIdleTimeout",
                    " (node `limits` only)",
                    "a keep-alive HTTP connection with no request in progress is closed (WebSockets are not "
                            + "affected: their heartbeats and `maxIdleInterval` apply)"),
            limit(
                    "maxConnections",
                    " (node `limits` only; `0` = unlimited)",
                    "open TCP connections on the node: a new one first closes the connection that has waited "
                            + "longest for a request head (half-open or idle keep-alive); only if there is none (all "
                            + "WebSockets or requests in progress) is it closed at once"),
            limit(
                    "maxConnectionsPerAddress",
                    " = unlimited (node `limits` only)",
                    "the same per remote IP address, with the same eviction; off by default because behind a "
                            + "load balancer or NAT every client has one address: set it when clients connect directly"),
            limit(
                    "maxRestPublishesPerSecond",
                    " messages/s per key",
                    "messages published over REST (single and batch publish) beyond it get HTTP 429 with "
                            + "42910; `0` for unlimited"),
            limit(
                    "maxTotalOutboundBytes",
                    ": a quarter of the JVM's maximum heap (node `limits` only)",
                    "bytes queued to all WebSockets together: beyond it the connections with the most queued "
                            + "are closed as slow consumers (counted in `herald_outbound_queue_drops_total`)"));

    private ConfigReference() {}

    public static List<Setting> settings(Table table) {
        return switch (table) {
            case CONFIG -> CONFIG;
            case APPS -> APPS;
            case TIMINGS -> TIMINGS;
            case LIMITS -> LIMITS;
        };
    }

    /** The table in Markdown, its header included. */
    public static String render(Table table) {
        StringBuilder sb = new StringBuilder(table.header);
        for (Setting s : settings(table)) {
            sb.append(s.key().isEmpty() ? "| |" : "| `" + s.key() + "` |");
            if (table == Table.CONFIG) {
                sb.append(s.cli().isEmpty() ? "" : " " + s.cli()).append(" |");
            }
            sb.append(s.defaultText().isEmpty() ? "" : " " + s.defaultText())
                    .append(" | ")
                    .append(s.doc())
                    .append(" |\n");
        }
        return sb.toString();
    }

    /** The README with every generated table replaced by its rendering; fails when a marker is missing. */
    public static String rewrite(String readme) {
        String out = readme;
        for (Table t : Table.values()) {
            String begin = "<!-- generated: " + t.marker + " -->\n";
            String end = "<!-- end generated: " + t.marker + " -->";
            int b = out.indexOf(begin);
            int e = out.indexOf(end);
            if (b < 0 || e < b) {
                throw new IllegalStateException("README has no " + begin.trim() + " ... " + end + " section");
            }
            out = out.substring(0, b + begin.length()) + render(t) + out.substring(e);
        }
        return out;
    }

    /** Rewrites the generated tables of the README at {@code args[0]} (default {@code README.md}). */
    public static void main(String[] args) throws IOException {
        Path readme = Path.of(args.length > 0 ? args[0] : "README.md");
        String before = Files.readString(readme, StandardCharsets.UTF_8);
        String after = rewrite(before);
        if (!after.equals(before)) {
            Files.writeString(readme, after, StandardCharsets.UTF_8);
        }
        System.out.println(readme + (after.equals(before) ? ": tables up to date" : ": tables rewritten"));
    }

    private static Setting limit(String key, String afterDefault, String doc) {
        return new Setting(key, "", "`" + format(defaultOf(Limits.DEFAULTS, key)) + "`" + afterDefault, doc);
    }

    private static Setting timing(String key, String afterDefault, String doc) {
        return new Setting(key, "", "`" + format(defaultOf(Timings.DEFAULTS, key)) + "`" + afterDefault, doc);
    }

    /** The value of the record component {@code key} of {@code defaults}; fails for a key the record does not have. */
    static Object defaultOf(Record defaults, String key) {
        for (RecordComponent c : defaults.getClass().getRecordComponents()) {
            if (c.getName().equals(key)) {
                try {
                    return c.getAccessor().invoke(defaults);
                } catch (ReflectiveOperationException e) {
                    throw new IllegalStateException(key, e);
                }
            }
        }
        throw new IllegalStateException(defaults.getClass().getSimpleName() + " has no setting " + key);
    }

    /** A default as the YAML would say it: durations in the largest unit that is exact ({@code 15s}, {@code 2m}, {@code 1h}). */
    static String format(Object value) {
        if (value instanceof Duration d) {
            long ms = d.toMillis();
            if (ms % 1000 != 0) {
                return ms + "ms";
            }
            long s = ms / 1000;
            if (s % 60 != 0) {
                return s + "s";
            }
            long m = s / 60;
            return m % 60 != 0 ? m + "m" : m / 60 + "h";
        }
        return String.valueOf(value);
    }
}
