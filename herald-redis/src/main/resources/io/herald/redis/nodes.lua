-- The registered node instances, split by Redis's clock into dead (no heartbeat for the timeout) and live ones.
-- KEYS: 1 nodes zset
-- ARGV: 1 timeout ms
-- Returns {dead, live}
local t = redis.call('TIME')
local ms = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local limit = string.format('%d', ms - tonumber(ARGV[1]))
return {redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', '(' .. limit),
        redis.call('ZRANGEBYSCORE', KEYS[1], limit, '+inf')}
