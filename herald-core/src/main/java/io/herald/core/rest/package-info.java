/**
 * The REST API, transport-neutral (docs/protocol.md §10): {@link io.herald.core.rest.RestApi} routes a
 * {@link io.herald.core.rest.RestRequest} to its resource (time, tokens, channels, batch, stats, health and the
 * sandbox provisioning of the ably-js suite) and answers a {@link io.herald.core.rest.RestResponse} in the format the
 * client accepts, with Ably-style errors ({@code {"error":{…}}} plus {@code X-Ably-Errorcode}/{@code
 * X-Ably-Errormessage}), Link pagination, the {@code envelope} form and CORS. It never uses sessions.
 */
package io.herald.core.rest;
