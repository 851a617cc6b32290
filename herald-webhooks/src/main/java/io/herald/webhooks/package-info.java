/**
 * Outbound webhooks: each event this node publishes that a configured rule matches is queued per rule, batched,
 * signed with the app's key and POSTed to the rule's URL in Ably's enveloped format (docs/webhooks.md).
 */
package io.herald.webhooks;
