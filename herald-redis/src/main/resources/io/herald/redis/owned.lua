-- The presence members of a channel owned by one node instance.
-- KEYS: 1 owners hash, 2 presence hash
-- ARGV: 1 instance
local out = {}
local all = redis.call('HGETALL', KEYS[1])
for i = 1, #all, 2 do
  if all[i + 1] == ARGV[1] then
    local m = redis.call('HGET', KEYS[2], all[i])
    if m then
      out[#out + 1] = m
    end
  end
end
return out
