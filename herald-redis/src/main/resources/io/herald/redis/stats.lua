-- Merges one node's statistics for one app and minute (RedisStatsStore).
-- KEYS[1] the minute's hash, KEYS[2] the app's index of minutes (a sorted set scored by minute)
-- ARGV[1] the minute (ms), ARGV[2] how long to keep both keys at least (ms), ARGV[3] the node's id,
-- ARGV[4] how many sums follow; then the sums as name, delta pairs; then the gauges as name, value pairs.
local sums = tonumber(ARGV[4])
local i = 5
for _ = 1, sums do
  redis.call('HINCRBY', KEYS[1], ARGV[i], ARGV[i + 1])
  i = i + 2
end
while i < #ARGV do
  redis.call('HSET', KEYS[1], ARGV[i] .. '#' .. ARGV[3], ARGV[i + 1])
  i = i + 2
end
redis.call('ZADD', KEYS[2], ARGV[1], ARGV[1])
local keep = tonumber(ARGV[2])
for _, k in ipairs(KEYS) do
  local ttl = redis.call('PTTL', k)
  if ttl < keep then
    redis.call('PEXPIRE', k, keep)
  end
end
return 1
