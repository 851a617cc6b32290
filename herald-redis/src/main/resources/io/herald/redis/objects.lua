-- Applies one batch of LiveObjects operations to a channel, atomically: appends the OBJECT event to the channel's log
-- (the same seq scheme and pub/sub frame as publish.lua, entry field b) and the event, with its position, to the
-- channel's objects operation list. The node checked the batch against its pool, current to operation count n of
-- objects life L; if the objects moved on meanwhile (another node applied a batch), nothing is written and the node
-- catches up and checks again.
-- KEYS: 1 state hash (e = epoch, q = seq), 2 log stream, 3 objects hash (l = life, n = operations ever appended,
--       b = operations compacted into s, s = compacted state), 4 operation list ("epoch seq\n" .. payload)
-- ARGV: 1 now ms, 2 max entries, 3 state ttl ms, 4 pub/sub channel, 5 epoch to use if the log has none,
--       6 retention ms, 7 payload, 8 life the node knows ('': none), 9 count the node knows, 10 life to start if
--       none, 11 objects ttl ms, 12 PUBLISH or SPUBLISH (Redis Cluster: the channel's shard only, as publish.lua)
-- Returns {'stale'}, or {'ok', epoch, seq, life}.
local now = tonumber(ARGV[1])
local meta = redis.call('HMGET', KEYS[3], 'l', 'n')
local life, n = meta[1], tonumber(meta[2] or '0')
if (life or '') ~= ARGV[8] or n ~= tonumber(ARGV[9]) then
  return {'stale'}
end
if not life then
  life = ARGV[10]
  redis.call('HSET', KEYS[3], 'l', life, 'b', 0)
end
local st = redis.call('HMGET', KEYS[1], 'e', 'q')
local epoch, seq = st[1], tonumber(st[2] or '0')
local created = false
if not epoch then
  epoch = ARGV[5]
  seq = 0
  created = true
  redis.call('DEL', KEYS[2])
end
seq = seq + 1
local retention = tonumber(ARGV[6])
local payload = ARGV[7]
redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[2], string.format('%d-%d', seq, now + retention), 'b', payload)
redis.call('HSET', KEYS[1], 'e', epoch, 'q', seq)
redis.call('RPUSH', KEYS[4], epoch .. ' ' .. seq .. '\n' .. payload)
redis.call('HSET', KEYS[3], 'n', n + 1)
redis.call('PEXPIRE', KEYS[3], ARGV[11])
redis.call('PEXPIRE', KEYS[4], ARGV[11])

-- the log's and the state's lifetimes as publish.lua keeps them (its time trim runs at the next publish)
local slack = math.min(60000, retention)
if redis.call('PTTL', KEYS[2]) < retention then
  redis.call('PEXPIRE', KEYS[2], retention + slack)
end
local ttl = math.max(tonumber(ARGV[3]), retention + slack)
local t = redis.call('PTTL', KEYS[1])
if created or (t >= 0 and t < ttl) then
  redis.call('PEXPIRE', KEYS[1], ttl + 60000)
  -- publish.lua refreshes these lifetimes only when its note of the log's expiry says so: make it look next time
  redis.call('HDEL', KEYS[1], 'x')
end

redis.call(ARGV[12], ARGV[4], epoch .. ' 1\n' .. seq .. '  ' .. #payload .. '\n' .. payload)
return {'ok', epoch, seq, life}
