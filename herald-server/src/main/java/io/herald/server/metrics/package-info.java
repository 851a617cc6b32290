/**
 * Metrics: {@link io.herald.server.metrics.MicrometerObserver} turns what the node reports into Micrometer meters
 * (counters with no allocation on the hot path, a histogram of publish latency), and
 * {@link io.herald.server.metrics.HeraldMetrics} owns the Prometheus registry, samples the node's gauges and renders
 * {@code GET /metrics} in the Prometheus text format or OpenMetrics.
 */
package io.herald.server.metrics;
