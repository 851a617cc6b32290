/**
 * Shared plumbing of the end-to-end tests: {@link io.herald.server.e2e.support.TestServer}, raw HTTP and WebSocket
 * clients, the ably-java helpers, the {@link io.herald.server.e2e.support.NodeScript} runner for the ably-js scenarios in
 * {@code src/test/node}, an authUrl app server, a cuttable TCP proxy and a sequence publisher.
 */
package io.herald.server.e2e.support;
