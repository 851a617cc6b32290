-- Hands a connection's presence members on a channel to another node instance (the connection was taken over).
-- KEYS: 1 owners hash
-- ARGV: 1 member key prefix (connectionId .. ':'), 2 new owner, 3 only members owned by this instance ('' : any)
-- Returns the number of members moved.
local n = 0
local all = redis.call('HGETALL', KEYS[1])
local prefix = ARGV[1]
for i = 1, #all, 2 do
  if string.sub(all[i], 1, #prefix) == prefix and (ARGV[3] == '' or all[i + 1] == ARGV[3]) then
    redis.call('HSET', KEYS[1], all[i], ARGV[2])
    n = n + 1
  end
end
return n
