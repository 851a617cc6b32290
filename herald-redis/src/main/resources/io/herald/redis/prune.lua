-- Forgets a channel in a node instance's index when the instance owns no member there any more.
-- KEYS: 1 the instance's channel set, 2 the channel's owners hash
-- ARGV: 1 instance, 2 channel tag
-- Returns 1 if the channel was forgotten.
local all = redis.call('HVALS', KEYS[2])
for _, owner in ipairs(all) do
  if owner == ARGV[1] then
    return 0
  end
end
return redis.call('SREM', KEYS[1], ARGV[2])
