package io.herald.bench.suite;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;

/**
 * The persisted-publish scenario: what keeping a persisted channel's history on disk costs a publisher. Herald alone,
 * started once per engine setting (the memory engine, then the disk engine with {@code --fsync always}, {@code
 * interval} and {@code never}, each on a fresh data directory); the load generator processes open publishers only,
 * spread over a few channels of the {@code persisted} namespace, and the rate search measures acknowledged publishes
 * per second and the publish-to-ACK latency (an ACK on the disk engine means the write is in RocksDB's log, and with
 * {@code always} fsynced).
 */
final class Persisted {
    /** Variant id to the engine options of {@code herald serve} ({@code {data}}: the variant's data directory). */
    static final Map<String, String> VARIANTS = new LinkedHashMap<>();

    static {
        VARIANTS.put("memory", "--engine memory");
        VARIANTS.put("disk-always", "--engine disk --data-dir {data} --fsync always");
        VARIANTS.put("disk-interval", "--engine disk --data-dir {data} --fsync interval");
        VARIANTS.put("disk-never", "--engine disk --data-dir {data} --fsync never");
    }

    /** Herald allows 250 publishes/s per connection (maxInboundRate): publishers stay under it. */
    private static final int RATE_PER_PUBLISHER = 240;

    private final Suite.Plan plan;
    private final Results results;
    private final List<WorkerProc> workers;
    private final Path runDir;

    Persisted(Suite.Plan plan, Results results, List<WorkerProc> workers, Path runDir) {
        this.plan = plan;
        this.results = results;
        this.workers = workers;
        this.runDir = runDir;
    }

    /**
     * Runs every variant: starts Herald with {@code serveCommand} (with {@code {engine}} replaced by the variant's
     * options), measures, stops it and removes its data directory. {@code shown} is the command as the report shows
     * it (no key, no local paths).
     */
    void run(Scenarios sc, String serveCommand, String shown) {
        results.sizes.put(
                "persisted",
                plan.persistedPubs + " publishers over " + workers.size() + " client processes, "
                        + plan.persistedChannels
                        + " channels of the persisted namespace, 100-byte messages, no subscribers");
        results.serverCommands.put(
                "herald, persisted scenario",
                shown.replace(
                        "{engine}", "--engine memory | --engine disk --data-dir DIR --fsync always|interval|never"));
        for (Map.Entry<String, String> v : VARIANTS.entrySet()) {
            String id = v.getKey();
            Path data = runDir.resolve("persisted-" + id);
            ServerProc server = new ServerProc(
                    Kind.HERALD,
                    "herald-" + id,
                    Suite.cmd(serveCommand.replace("{engine}", v.getValue().replace("{data}", data.toString()))),
                    runDir,
                    runDir);
            try {
                double ms = server.start();
                Suite.log(String.format(
                        Locale.ROOT,
                        "Herald (%s) ready in %.0f ms (pid %d, port %d)",
                        id,
                        ms,
                        server.pid(),
                        server.port));
                sc.measured("persisted/" + id, tag -> measure(sc, id, server, tag));
            } catch (Exception e) {
                Suite.log("persisted/" + id + " failed: " + e);
                results.notes.put("persisted/" + id, "failed: " + e.getMessage());
            } finally {
                if (server.process != null) {
                    server.stop();
                }
                delete(data);
            }
        }
    }

    private void measure(Scenarios sc, String id, ServerProc server, String tag) throws Exception {
        sc.targetAll(server);
        int w = workers.size();
        int per = plan.persistedPubs / w;
        List<CompletableFuture<Map<String, String>>> opening = new ArrayList<>();
        for (int i = 0; i < w; i++) {
            opening.add(workers.get(i)
                    .callAsync("open role=pub n=" + per + " channel=persisted:bench groups=" + plan.persistedChannels
                            + " offset=" + i * per));
        }
        int opened = Scenarios.sum(opening, "opened");
        Results.Rate r = new Results.Rate();
        r.publishers = opened;
        r.connections = opened;
        r.channels = plan.persistedChannels;
        r.setup = "publisher g publishes to persisted:bench-(g mod " + plan.persistedChannels + "), " + per
                + " per client process";
        if (opened < per * w) {
            results.notes.put(tag, "only " + opened + " of " + per * w + " publishers connected");
        }
        Scenarios.Sut sut = new Scenarios.Sut(
                "Herald (" + id + ")", id, Map.of(id, server.pid()), List.of(), results.targetP99Ms, true);
        sc.search(sut, r, 1, 1000, opened * (double) RATE_PER_PUBLISHER, true, "persisted");
        results.persisted.put(id, r);
    }

    private static void delete(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            Suite.log("could not remove " + dir + ": " + e.getMessage());
        }
    }
}
