-- Reads what a node needs to bring its pool of a channel's objects up to date, atomically.
-- KEYS: 1 objects hash (see objects.lua), 2 operation list
-- ARGV: 1 life the node knows ('': none), 2 operation count the node's pool is current to
-- Returns {''} when the channel has no objects; else {life, n, b, mode, state, operations}: mode 'ops' when the node
-- continues from its count (state is ''; operations are those after it), 'state' when it must start over from the
-- compacted state (state, '' if nothing was compacted, covers the first b operations; operations follow it).
local m = redis.call('HMGET', KEYS[1], 'l', 'n', 'b')
if not m[1] then
  return {''}
end
local life, n, b = m[1], tonumber(m[2] or '0'), tonumber(m[3] or '0')
local known = tonumber(ARGV[2])
if life == ARGV[1] and known >= b and known <= n then
  return {life, n, b, 'ops', '', redis.call('LRANGE', KEYS[2], known - b, -1)}
end
return {life, n, b, 'state', redis.call('HGET', KEYS[1], 's') or '', redis.call('LRANGE', KEYS[2], 0, -1)}
