/**
 * What the node reports about itself: the {@link io.herald.core.observe.Observer} interface that metrics and audit
 * logs implement (in the server), called from every layer of the core. Calls must be cheap and never throw.
 */
package io.herald.core.observe;
