-- Reads a channel's log position, and optionally a range of its log or its presence set, in one atomic step.
-- Creates the log's state (a new epoch at seq 0) on first use, so the position a reader gets is the one the next
-- publish continues from.
-- KEYS: 1 state hash, 2 log stream, 3 presence hash
-- ARGV: 1 epoch to use if the log has none, 2 state ttl ms, 3 mode ('pos', 'fwd', 'rev', 'members'),
--       4 range start, 5 range end, 6 count, 7 only read the range if the epoch is this ('' : any)
-- Returns {epoch, seq, entries-or-members}
local st = redis.call('HMGET', KEYS[1], 'e', 'q')
local epoch, seq = st[1], st[2]
if not epoch then
  epoch = ARGV[1]
  seq = '0'
  redis.call('HSET', KEYS[1], 'e', epoch, 'q', 0)
  redis.call('DEL', KEYS[2])
  if redis.call('EXISTS', KEYS[3]) == 0 then
    redis.call('PEXPIRE', KEYS[1], ARGV[2])
  end
end
local mode = ARGV[3]
if mode == 'members' then
  return {epoch, seq, redis.call('HVALS', KEYS[3])}
end
if mode == 'pos' or (ARGV[7] ~= '' and ARGV[7] ~= epoch) then
  return {epoch, seq, {}}
end
if mode == 'fwd' then
  return {epoch, seq, redis.call('XRANGE', KEYS[2], ARGV[4], ARGV[5], 'COUNT', ARGV[6])}
end
return {epoch, seq, redis.call('XREVRANGE', KEYS[2], ARGV[4], ARGV[5], 'COUNT', ARGV[6])}
