-- Stores a node's folded pool of a channel's objects as the compacted state and drops the operations it covers,
-- atomically: a state covering no more than the stored one, or another life's, changes nothing, so nodes compacting
-- at the same time never lose operations.
-- KEYS: 1 objects hash (see objects.lua), 2 operation list
-- ARGV: 1 life, 2 operation count the state covers, 3 state
-- Returns 1 if it compacted, else 0.
local m = redis.call('HMGET', KEYS[1], 'l', 'n', 'b')
if m[1] ~= ARGV[1] then
  return 0
end
local n, b, upto = tonumber(m[2] or '0'), tonumber(m[3] or '0'), tonumber(ARGV[2])
if upto <= b or upto > n then
  return 0
end
redis.call('LTRIM', KEYS[2], upto - b, -1)
redis.call('HSET', KEYS[1], 's', ARGV[3], 'b', upto)
return 1
