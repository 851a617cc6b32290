/**
 * The Redis engine (Lettuce): the engine SPI over one Redis, so several stateless Herald nodes behave as one service.
 * Each channel's log is a Redis stream whose serials a Lua script assigns while it appends, updates the presence set
 * and publishes the event, all in one atomic step; nodes subscribe to the channels they have subscribers for and
 * deliver in serial order, filling any gap from the log. Nonces, revocations and connection records are shared;
 * presence members of a node that stops heartbeating are removed by the others. {@link io.herald.redis.RedisEngine}
 * is the entry point, {@link io.herald.redis.RedisKeys} documents the data layout.
 */
package io.herald.redis;
