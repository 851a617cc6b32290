package io.herald.server.cli;

import io.herald.server.recording.Endpoint;
import io.herald.server.recording.Recorder;
import io.herald.server.recording.RecordingException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code herald record}: a channel's messages and presence, with their timing, into a file (docs/faults.md). */
@Command(
        name = "record",
        mixinStandardHelpOptions = true,
        description = {
            "Record channels' messages and presence events, with their timing, into a JSON Lines file that "
                    + "herald replay publishes again. Connects as a realtime client to Herald or any Ably endpoint.",
            "Stops on Ctrl-C or SIGTERM, after --duration or after --count events; every line is flushed as written.",
            "Exit code: 0 done, 2 bad options, 3 file error, 4 server not reachable or connection lost, "
                    + "5 refused by the server."
        })
final class RecordCommand implements Callable<Integer> {

    @Mixin
    EndpointOptions server = new EndpointOptions();

    @SuppressWarnings("NullAway.Init") // required: picocli sets it or refuses the command line
    @Option(names = "--channel", required = true, description = "A channel to record (repeatable).")
    List<String> channels;

    @SuppressWarnings("NullAway.Init") // required: picocli sets it or refuses the command line
    @Option(names = "--out", required = true, description = "The recording file to write.")
    Path out;

    @Option(names = "--force", description = "Replace --out if it exists.")
    boolean force;

    @Option(
            names = "--duration",
            converter = DurationConverter.class,
            description = "Stop after this long: 500ms, 30s, 5m, 1h.")
    @Nullable
    Duration duration;

    @Option(names = "--count", description = "Stop after this many events.")
    @Nullable
    Long count;

    @SuppressWarnings("NullAway.Init") // injected by picocli before call()
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (count != null && count < 1) {
            err.println("herald record: --count must be 1 or more");
            return RecordingException.USAGE;
        }
        String key = server.keyOrExplain(err, "herald record");
        if (key == null) {
            return RecordingException.USAGE;
        }
        try {
            Recorder recorder = new Recorder(
                    new Recorder.Options(
                            Endpoint.of(server.url, key), List.copyOf(channels), this.out, force, duration, count),
                    err);
            Thread hook = new Thread(
                    () -> {
                        recorder.stop("interrupted (Ctrl-C or SIGTERM)");
                        try {
                            recorder.awaitFinished(Duration.ofSeconds(5));
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    },
                    "herald-record-stop");
            Runtime.getRuntime().addShutdownHook(hook);
            Recorder.Result r;
            try {
                r = recorder.run();
            } finally {
                try {
                    Runtime.getRuntime().removeShutdownHook(hook);
                } catch (IllegalStateException shuttingDown) {
                    // the JVM is exiting (Ctrl-C): the hook is what stopped the recording
                }
            }
            out.printf(
                    "herald record: %d events (%d messages, %d presence) in %d ms written to %s; stopped: %s%n",
                    r.events(), r.messages(), r.presence(), r.elapsedMs(), this.out, r.stoppedBecause());
            out.flush();
            return 0;
        } catch (RecordingException e) {
            err.println("herald record: " + e.getMessage());
            err.flush();
            return e.exitCode();
        }
    }

    /** {@code 500ms}, {@code 30s}, {@code 5m}, {@code 1h}, or a number of ms. */
    static final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            String s = value.strip();
            try {
                Duration d;
                if (s.endsWith("ms")) {
                    d = Duration.ofMillis(Long.parseLong(s.substring(0, s.length() - 2)));
                } else if (s.endsWith("s")) {
                    d = Duration.ofSeconds(Long.parseLong(s.substring(0, s.length() - 1)));
                } else if (s.endsWith("m")) {
                    d = Duration.ofMinutes(Long.parseLong(s.substring(0, s.length() - 1)));
                } else if (s.endsWith("h")) {
                    d = Duration.ofHours(Long.parseLong(s.substring(0, s.length() - 1)));
                } else {
                    d = Duration.ofMillis(Long.parseLong(s));
                }
                if (d.isNegative() || d.isZero()) {
                    throw new CommandLine.TypeConversionException("'" + value + "' must be more than 0");
                }
                return d;
            } catch (NumberFormatException e) {
                throw new CommandLine.TypeConversionException("'" + value + "' is not a duration (500ms, 30s, 5m, 1h)");
            }
        }
    }
}
