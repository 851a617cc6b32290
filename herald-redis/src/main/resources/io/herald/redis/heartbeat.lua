-- A node's heartbeat, timed by Redis's clock so node clocks do not matter.
-- KEYS: 1 nodes zset (instance -> last heartbeat ms)
-- ARGV: 1 instance
-- Returns 1 if the instance was not registered (first beat, or another node swept it as dead), else 0.
local t = redis.call('TIME')
local ms = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
return redis.call('ZADD', KEYS[1], string.format('%d', ms), ARGV[1])
