/**
 * Logs: the {@link io.herald.server.logging.AuditLog} ({@code herald.audit}, one line per token issued or refused,
 * never a secret, a token or a mac), the two output formats {@link io.herald.server.logging.LogSetup} sets up (human-readable text with
 * {@code key=value} fields, or one JSON object per line via {@link io.herald.server.logging.JsonLogEncoder}) and
 * {@link io.herald.server.logging.LogFormat}, which picks one for the process.
 */
package io.herald.server.logging;
