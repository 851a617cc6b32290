package io.herald.server.metrics;

import io.herald.core.HeraldNode;
import io.herald.core.config.AppConfig;
import io.herald.core.observe.Observer;
import io.herald.core.rest.RestResponse;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.charset.StandardCharsets;
import org.jspecify.annotations.Nullable;

/**
 * The metrics of one server: a Prometheus registry holding the {@link MicrometerObserver}'s meters, gauges sampled
 * from the node at scrape time (connections by state, channels, keys, readiness) and the JVM's own (memory, GC,
 * threads, CPU, open files). {@link #scrape} renders {@code GET /metrics}.
 */
public final class HeraldMetrics implements AutoCloseable {
    /** The classic Prometheus text format, the default. */
    public static final String TEXT_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";
    /** OpenMetrics, served when the scraper's {@code Accept} asks for it. */
    public static final String OPENMETRICS_CONTENT_TYPE = "application/openmetrics-text; version=1.0.0; charset=utf-8";

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final MicrometerObserver observer = new MicrometerObserver(registry);
    /** Set by {@link #bindJvm}; {@link #close} closes it. Guarded by {@code this}, as are the two flags. */
    private @Nullable JvmGcMetrics gc;

    private boolean jvmBound;
    private boolean closed;

    /**
     * A registry with the node's meters; the JVM's (memory, GC, threads, classes, CPU, uptime, open files) come with
     * {@link #bindJvm} or {@link #bindJvmInBackground}, and at the latest with the first scrape.
     */
    public HeraldMetrics() {}

    /**
     * Registers the JVM's meters on a thread of its own. They read the JVM's management beans, whose first use is a
     * good part of a start's work and which nothing on the way to ready needs: the server calls this once its port
     * is bound. A {@link #scrape} meanwhile waits for the registration, so every scrape shows them.
     */
    public void bindJvmInBackground() {
        Thread t = new Thread(this::bindJvm, "herald-metrics-jvm");
        t.setDaemon(true);
        t.start();
    }

    /** Registers the JVM's meters on the calling thread, once (after the first call, or after close, nothing). */
    public synchronized void bindJvm() {
        if (jvmBound || closed) {
            return;
        }
        jvmBound = true;
        new JvmMemoryMetrics().bindTo(registry);
        JvmGcMetrics g = new JvmGcMetrics();
        gc = g;
        g.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        new FileDescriptorMetrics().bindTo(registry);
    }

    /**
     * Does ahead of time, on the calling thread, the one-off work of the first {@code new HeraldMetrics()}: the
     * registry's classes. Start-up calls it on a second thread while the main thread reads the configuration;
     * calling it or not changes nothing but timing.
     */
    public static void warmUp() {
        new PrometheusMeterRegistry(PrometheusConfig.DEFAULT).close();
    }

    /** What the node reports to; give it to the {@link HeraldNode}. */
    public Observer observer() {
        return observer;
    }

    /** Messages published by clients so far, as {@code herald_messages_in_total}. */
    public long messagesIn() {
        return observer.messagesInTotal();
    }

    /** Deliveries to subscribers so far, as {@code herald_messages_out_total}. */
    public long messagesOut() {
        return observer.messagesOutTotal();
    }

    /** Registers the gauges sampled from {@code node} at each scrape. */
    public void bind(HeraldNode node) {
        Gauge.builder("herald.connections", node, n -> n.connectedCount())
                .description("Connections on this node by state: connected (live transport) or suspended "
                        + "(transport lost, resumable for connectionStateTtl)")
                .tag("state", "connected")
                .strongReference(true)
                .register(registry);
        Gauge.builder("herald.connections", node, n -> Math.max(0, n.connectionCount() - n.connectedCount()))
                .description("Connections on this node by state: connected (live transport) or suspended "
                        + "(transport lost, resumable for connectionStateTtl)")
                .tag("state", "suspended")
                .strongReference(true)
                .register(registry);
        Gauge.builder("herald.channels", node, n -> n.channelCount())
                .description("Channels with at least one subscriber on this node")
                .strongReference(true)
                .register(registry);
        Gauge.builder("herald.api.keys", node, HeraldMetrics::keyCount)
                .description("API keys loaded")
                .strongReference(true)
                .register(registry);
        Gauge.builder("herald.ready", node, n -> n.isReady() ? 1 : 0)
                .description("1 when the engine is reachable and keys are loaded (as GET /health/ready), else 0")
                .strongReference(true)
                .register(registry);
    }

    /** Registers the webhook delivery counters, {@code herald_webhook_events_total} by outcome. */
    public void bind(io.herald.webhooks.WebhookStats stats) {
        String doc = "Webhook events by outcome: sent (a 2xx answer), failed (no 2xx after the last attempt), "
                + "dropped (queue full or too large for a request); retried counts requests sent again";
        io.micrometer.core.instrument.FunctionCounter.builder(
                        "herald.webhook.events", stats, io.herald.webhooks.WebhookStats::sent)
                .description(doc)
                .tag("outcome", "sent")
                .register(registry);
        io.micrometer.core.instrument.FunctionCounter.builder(
                        "herald.webhook.events", stats, io.herald.webhooks.WebhookStats::failed)
                .description(doc)
                .tag("outcome", "failed")
                .register(registry);
        io.micrometer.core.instrument.FunctionCounter.builder(
                        "herald.webhook.events", stats, io.herald.webhooks.WebhookStats::dropped)
                .description(doc)
                .tag("outcome", "dropped")
                .register(registry);
        io.micrometer.core.instrument.FunctionCounter.builder(
                        "herald.webhook.retries", stats, io.herald.webhooks.WebhookStats::retried)
                .description("Webhook requests sent again after a failure")
                .register(registry);
    }

    private static double keyCount(HeraldNode node) {
        int n = 0;
        for (AppConfig app : node.keys().apps()) {
            n += app.keys().size();
        }
        return n;
    }

    /**
     * The {@code GET /metrics} response: OpenMetrics if {@code accept} names {@code application/openmetrics-text},
     * the Prometheus text format 0.0.4 otherwise.
     */
    public RestResponse scrape(@Nullable String accept) {
        String type = accept != null && accept.contains("application/openmetrics-text")
                ? OPENMETRICS_CONTENT_TYPE
                : TEXT_CONTENT_TYPE;
        bindJvm();
        RestResponse r = new RestResponse(200, type, registry.scrape(type).getBytes(StandardCharsets.UTF_8));
        r.header("Cache-Control", "no-store");
        return r;
    }

    @Override
    public void close() {
        synchronized (this) {
            closed = true;
            if (gc != null) {
                gc.close();
            }
        }
        registry.close();
    }
}
