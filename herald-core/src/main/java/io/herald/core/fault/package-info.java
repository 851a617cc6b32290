/**
 * Faults injected on purpose (docs/faults.md): the registry of active faults the control API fills, and what the
 * session, channel and REST paths ask it. With no fault active every question is one volatile read.
 */
package io.herald.core.fault;
