package io.herald.server.cli;

import io.herald.server.recording.Endpoint;
import io.herald.server.recording.RecordingException;
import io.herald.server.recording.Replayer;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code herald replay}: publishes a recording again, at its own pace or scaled (docs/faults.md). */
@Command(
        name = "replay",
        mixinStandardHelpOptions = true,
        description = {
            "Publish a recording made by herald record again: messages over REST, presence over a realtime "
                    + "connection with the recorded clientIds (the key needs the presence capability), keeping the "
                    + "gaps between events divided by --speed.",
            "Exit code: 0 done, 2 bad options, 3 missing, corrupt or unknown file, 4 server not reachable, "
                    + "5 refused by the server (its error is printed)."
        })
final class ReplayCommand implements Callable<Integer> {

    @SuppressWarnings("NullAway.Init") // required positional parameter: picocli sets it or refuses the command line
    @Parameters(index = "0", paramLabel = "FILE", description = "A recording written by herald record.")
    Path file;

    @Mixin
    EndpointOptions server = new EndpointOptions();

    @Option(
            names = "--speed",
            description = "1 (default) the original pace, 2 twice as fast, 0.5 half as fast, 0 as fast as possible.")
    double speed = 1;

    @Option(
            names = "--channel-map",
            paramLabel = "OLD=NEW",
            description = "Replay channel OLD's events into NEW (repeatable).")
    Map<String, String> channelMap = new LinkedHashMap<>();

    @SuppressWarnings("NullAway.Init") // injected by picocli before call()
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (!(speed >= 0) || Double.isInfinite(speed)) {
            err.println("herald replay: --speed must be 0 (as fast as possible) or more");
            return RecordingException.USAGE;
        }
        String key = server.keyOrExplain(err, "herald replay");
        if (key == null) {
            return RecordingException.USAGE;
        }
        try {
            Replayer.Result r = new Replayer(
                            new Replayer.Options(Endpoint.of(server.url, key), file, speed, Map.copyOf(channelMap)),
                            err)
                    .run();
            out.printf(
                    "herald replay: %d messages and %d presence events published in %d ms (%d skipped)%n",
                    r.messages(), r.presence(), r.elapsedMs(), r.skipped());
            out.flush();
            return 0;
        } catch (RecordingException e) {
            err.println("herald replay: " + e.getMessage());
            err.flush();
            return e.exitCode();
        }
    }
}
