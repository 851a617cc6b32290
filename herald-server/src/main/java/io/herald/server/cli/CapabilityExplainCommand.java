package io.herald.server.cli;

import io.herald.auth.AuthException;
import io.herald.auth.Capability;
import io.herald.auth.Operations;
import java.io.PrintWriter;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code herald capability explain}: whether a capability allows an operation on a channel, and which resource
 * pattern decided it (the rules of docs/protocol.md §5.3). Exit code 0 allowed, 1 denied, 2 usage error.
 */
@Command(
        name = "explain",
        mixinStandardHelpOptions = true,
        description = {
            "Say whether a capability allows an operation on a channel, and which resource pattern decided.",
            "Exit code: 0 allowed, 1 denied, 2 usage error (e.g. a malformed capability)."
        },
        exitCodeOnInvalidInput = 2)
final class CapabilityExplainCommand implements Callable<Integer> {

    @SuppressWarnings("NullAway.Init") // required: picocli sets it or refuses the command line
    @Option(
            names = "--capability",
            required = true,
            paramLabel = "JSON",
            description = "Capability JSON, e.g. '{\"chat:*\":[\"publish\",\"subscribe\"]}'.")
    String capability;

    @SuppressWarnings("NullAway.Init") // required: picocli sets it or refuses the command line
    @Option(names = "--channel", required = true, paramLabel = "NAME", description = "Channel name, e.g. chat:lobby.")
    String channel;

    @SuppressWarnings("NullAway.Init") // required: picocli sets it or refuses the command line
    @Option(
            names = "--op",
            required = true,
            paramLabel = "OP",
            description = "Operation: subscribe, publish, presence, history, ... (one of: ${COMPLETION-CANDIDATES}).",
            completionCandidates = KnownOperations.class)
    String operation;

    @SuppressWarnings("NullAway.Init") // injected by picocli before call()
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** The operations, for the help text. */
    static final class KnownOperations implements Iterable<String> {
        @Override
        public java.util.Iterator<String> iterator() {
            return Operations.KNOWN.iterator();
        }
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Capability cap;
        try {
            cap = Capability.parse(capability);
        } catch (AuthException e) {
            err.println("herald: --capability: " + e.getMessage());
            err.flush();
            return 2;
        }
        String op = operation.strip();
        if (!Operations.KNOWN.contains(op)) {
            err.println("herald: --op: unknown operation '" + op + "'; one of " + String.join(", ", Operations.KNOWN));
            err.flush();
            return 2;
        }
        Capability.Explanation why = cap.explain(channel, op);
        out.println((why.allowed() ? "ALLOWED: " : "DENIED: ") + op + " on channel " + channel);
        if (why.resource() == null) {
            out.println("  no resource in the capability matches the channel (resources: "
                    + String.join(", ", cap.resources().keySet()) + ")");
        } else if (why.allowed()) {
            out.println("  decided by resource " + why.resource() + " -> " + ops(why.operations()));
        } else {
            out.println(
                    "  resource " + why.resource() + " matches the channel but grants only " + ops(why.operations()));
        }
        Set<String> all = cap.operationsFor(channel);
        out.println("  operations allowed on " + channel + ": " + (all.isEmpty() ? "none" : String.join(", ", all)));
        out.println("  capability (canonical): " + cap.canonical());
        out.flush();
        return why.allowed() ? 0 : 1;
    }

    private static String ops(List<String> operations) {
        return "[" + String.join(", ", operations) + "]";
    }
}
