/**
 * The default engine: every channel's log, presence set and recent message ids in this process's memory, guarded by
 * one lock per channel, trimmed by time and length. Single node only.
 */
package io.herald.core.engine.memory;
