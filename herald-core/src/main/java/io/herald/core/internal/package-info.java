/**
 * Small shared helpers with no knowledge of the service: the exception carrying an Ably error, random ids,
 * and completion-stage utilities.
 */
package io.herald.core.internal;
