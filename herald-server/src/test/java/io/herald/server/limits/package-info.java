/**
 * Issue 7's operational guarantees driven with the official SDKs: every limit (code, message, and nothing else
 * disturbed), the graceful drain on shutdown (no acknowledged message lost), and reloading keys without a restart.
 */
package io.herald.server.limits;
