package io.herald.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.herald.server.control.ControlClient;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code herald fault add|list|clear}: drives a running server's fault control API ({@code /control/faults},
 * docs/faults.md) from a shell. Prints the server's JSON answer; a refusal prints the Ably error and exits 1, an
 * unreachable server one sentence and exit 3, a usage error (no control token) exit 2.
 */
@Command(
        name = "fault",
        mixinStandardHelpOptions = true,
        description = {
            "Inject, list and clear faults through a running Herald's control API (docs/faults.md).",
            "The server needs control.token (or HERALD_CONTROL_TOKEN), or --sandbox (its token is logged at start)."
        },
        footer = {
            "",
            "Exit codes: 0 done, 1 the server refused (its Ably error is printed), 2 usage error, 3 server not reachable.",
            "Example: herald fault add --kind connection.drop --app myapp --client-id alice"
        },
        subcommands = {FaultCommand.Add.class, FaultCommand.ListFaults.class, FaultCommand.Clear.class})
final class FaultCommand implements Callable<Integer> {
    static final int REFUSED = 1;
    static final int USAGE = 2;
    static final int UNREACHABLE = 3;

    @SuppressWarnings("NullAway.Init") // injected by picocli before call()
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return USAGE;
    }

    /** The options every subcommand takes: where the server is and the control token. */
    static final class Server {
        @Option(
                names = "--url",
                paramLabel = "URL",
                defaultValue = "http://localhost:8080",
                description = "The Herald server (default: ${DEFAULT-VALUE}).")
        String url = "http://localhost:8080";

        @Option(
                names = "--token",
                paramLabel = "T",
                defaultValue = "${env:HERALD_CONTROL_TOKEN}",
                description = "The control token (default: the environment variable HERALD_CONTROL_TOKEN).")
        @Nullable
        String token;
    }

    /** What a subcommand does with the client; its answer is printed. */
    interface Call {
        @Nullable
        JsonNode run(ControlClient client) throws ControlClient.Refused, ControlClient.Unreachable;
    }

    /** Runs {@code call} against the server of {@code server} and prints the outcome; the exit code. */
    static int run(CommandLine.Model.CommandSpec spec, Server server, String what, Call call) {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        String token = server.token == null ? "" : server.token.strip();
        if (token.isEmpty()) {
            err.println("herald: no control token: give --token or set HERALD_CONTROL_TOKEN (the server's "
                    + "control.token, or the token a --sandbox server logged at start)");
            return USAGE;
        }
        ControlClient client;
        try {
            client = new ControlClient(server.url, token);
        } catch (IllegalArgumentException e) {
            err.println("herald: --url: " + e.getMessage());
            return USAGE;
        }
        try {
            JsonNode answer = call.run(client);
            if (answer != null) {
                out.println(answer.toString());
            }
            out.flush();
            return 0;
        } catch (ControlClient.Refused e) {
            err.println("herald: " + what + " refused: " + describe(e));
            if (e.statusCode() == 404 && e.code() == 40400 && e.reason().startsWith("Not found:")) {
                err.println("herald: is the control API on? It needs control.token (HERALD_CONTROL_TOKEN) or "
                        + "--sandbox on the server");
            }
            return REFUSED;
        } catch (ControlClient.Unreachable e) {
            err.println("herald: " + e.getMessage());
            return UNREACHABLE;
        }
    }

    /** {@code code 40003, status 400: Unknown fault kind ...}, as an Ably error reads. */
    static String describe(ControlClient.Refused e) {
        return (e.code() == 0 ? "" : "code " + e.code() + ", ") + "status " + e.statusCode() + ": " + e.reason();
    }

    /** {@code herald fault add}. */
    @Command(
            name = "add",
            mixinStandardHelpOptions = true,
            description = {
                "Inject a fault; prints it as the server describes it (its id, applied, expiresAt...).",
                "Kinds: connection.drop, connection.disconnect, connection.fail, connection.failResume, "
                        + "connection.latency, token.expire, token.revoke, token.requestFail, rest.fail, "
                        + "channel.detach, channel.fail, channel.suspend, channel.update, delivery.drop, "
                        + "delivery.delay, delivery.duplicate (docs/faults.md says which options each takes)."
            })
    static final class Add implements Callable<Integer> {
        @Mixin
        Server server = new Server();

        @SuppressWarnings("NullAway.Init") // required: picocli sets it or refuses the command line
        @Option(names = "--kind", required = true, paramLabel = "K", description = "The fault, e.g. connection.drop.")
        String kind;

        @SuppressWarnings("NullAway.Init") // required: picocli sets it or refuses the command line
        @Option(names = "--app", required = true, paramLabel = "A", description = "The app id.")
        String app;

        @Option(names = "--client-id", paramLabel = "C", description = "Only the connections of this clientId.")
        @Nullable
        String clientId;

        @Option(names = "--connection-id", paramLabel = "ID", description = "Only this connection.")
        @Nullable
        String connectionId;

        @Option(names = "--channel", paramLabel = "CH", description = "The channel (channel.* and delivery.*).")
        @Nullable
        String channel;

        @Option(names = "--method", paramLabel = "M", description = "rest.fail: GET, POST, PUT, PATCH, DELETE or *.")
        @Nullable
        String method;

        @Option(
                names = "--path",
                paramLabel = "P",
                description = "rest.fail: the path, * one segment, a trailing ** the rest.")
        @Nullable
        String path;

        @Option(names = "--code", paramLabel = "N", description = "The Ably error code sent (10000..99999).")
        @Nullable
        Integer code;

        @Option(names = "--status", paramLabel = "N", description = "Its HTTP status (400..599); needs --code.")
        @Nullable
        Integer status;

        @Option(names = "--message", paramLabel = "TEXT", description = "Its message; needs --code.")
        @Nullable
        String message;

        @Option(names = "--count", paramLabel = "N", description = "How many times it acts (counted kinds).")
        @Nullable
        Integer count;

        @Option(names = "--delay-ms", paramLabel = "MS", description = "The delay (latency and delivery.delay).")
        @Nullable
        Long delayMs;

        @Option(names = "--ttl-ms", paramLabel = "MS", description = "How long it stays active (default 60000).")
        @Nullable
        Long ttlMs;

        @SuppressWarnings("NullAway.Init") // injected by picocli before call()
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            if (code == null && (status != null || message != null)) {
                spec.commandLine().getErr().println("herald: --status and --message need --code");
                return USAGE;
            }
            return run(spec, server, "fault add", client -> client.inject(body()));
        }

        /** The request body; options left out are left out, so the server's defaults and checks apply. */
        ObjectNode body() {
            ObjectNode b = ControlClient.object();
            b.put("kind", kind);
            b.put("appId", app);
            putIf(b, "connectionId", connectionId);
            putIf(b, "clientId", clientId);
            putIf(b, "channel", channel);
            putIf(b, "method", method);
            putIf(b, "path", path);
            if (code != null) {
                ObjectNode e = b.putObject("error");
                e.put("code", code);
                if (status != null) {
                    e.put("statusCode", status);
                }
                putIf(e, "message", message);
            }
            if (count != null) {
                b.put("count", count);
            }
            if (delayMs != null) {
                b.put("delayMs", delayMs);
            }
            if (ttlMs != null) {
                b.put("ttlMs", ttlMs);
            }
            return b;
        }

        private static void putIf(ObjectNode b, String field, @Nullable String value) {
            if (value != null) {
                b.put(field, value);
            }
        }
    }

    /** {@code herald fault list}. */
    @Command(
            name = "list",
            mixinStandardHelpOptions = true,
            description = "Print the active faults, oldest first: {\"faults\":[...]}.")
    static final class ListFaults implements Callable<Integer> {
        @Mixin
        Server server = new Server();

        @Option(names = "--app", paramLabel = "A", description = "Only the faults of this app.")
        @Nullable
        String app;

        @SuppressWarnings("NullAway.Init") // injected by picocli before call()
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            return run(spec, server, "fault list", client -> client.list(app));
        }
    }

    /** {@code herald fault clear}. */
    @Command(
            name = "clear",
            mixinStandardHelpOptions = true,
            description = {
                "Clear one fault by id (prints {\"cleared\":1}), or every fault (of --app): prints {\"cleared\":n}."
            })
    static final class Clear implements Callable<Integer> {
        @Mixin
        Server server = new Server();

        @Parameters(index = "0", arity = "0..1", paramLabel = "ID", description = "The fault's id (f_...).")
        @Nullable
        String id;

        @Option(names = "--app", paramLabel = "A", description = "Without ID: only the faults of this app.")
        @Nullable
        String app;

        @SuppressWarnings("NullAway.Init") // injected by picocli before call()
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            String one = id;
            if (one != null && app != null) {
                spec.commandLine().getErr().println("herald: give either a fault id or --app, not both");
                return USAGE;
            }
            if (one == null) {
                return run(spec, server, "fault clear", client -> client.clearAll(app));
            }
            return run(spec, server, "fault clear", client -> {
                client.clear(one);
                return ControlClient.object().put("cleared", 1).put("id", one);
            });
        }
    }
}
