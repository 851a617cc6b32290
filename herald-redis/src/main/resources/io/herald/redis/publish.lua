-- Appends one event to a channel's log, applies its presence changes and distributes it, atomically.
-- KEYS: 1 state hash (e = epoch, q = seq), 2 log stream, 3 presence hash (member key -> member),
--       4 owners hash (member key -> node instance)
-- ARGV: 1 now ms, 2 retention ms, 3 max entries, 4 state ttl ms, 5 pub/sub channel, 6 kind ('m' messages,
--       'p' presence), 7 payload, 8 epoch to use if the log has none, 9 idempotency window ms (0: no dedupe),
--       10 id key prefix, 11 owner of put members, 12 owner a removed member must have ('' : any), 13 item count,
--       then per item: kind m: the message id ('' : none); kind p: op ('+' put, '-' remove), member key, member
-- Returns {epoch, seq, dropped} ({'', 0, dropped} when every item was dropped); dropped is a comma list of indexes.
local now = tonumber(ARGV[1])
local kind = ARGV[6]
local n = tonumber(ARGV[13])
local dropped = {}
local skip = {}
if kind == 'm' then
  local window = tonumber(ARGV[9])
  if window > 0 then
    for i = 1, n do
      local id = ARGV[13 + i]
      if id ~= '' and not redis.call('SET', ARGV[10] .. id, '1', 'NX', 'PX', window) then
        dropped[#dropped + 1] = i - 1
      end
    end
  end
else
  local guard = ARGV[12]
  if guard ~= '' then
    for i = 1, n do
      local b = 13 + (i - 1) * 3
      if ARGV[b + 1] == '-' and redis.call('HGET', KEYS[4], ARGV[b + 2]) ~= guard then
        dropped[#dropped + 1] = i - 1
        skip[i] = true
      end
    end
  end
end
local mask = table.concat(dropped, ',')
if #dropped == n then
  return {'', 0, mask}
end

local epoch = redis.call('HGET', KEYS[1], 'e')
if not epoch then
  -- a new life of the log: serials restart under a new epoch, leftovers of an older life go
  epoch = ARGV[8]
  redis.call('HSET', KEYS[1], 'e', epoch, 'q', 0)
  redis.call('DEL', KEYS[2])
end
local seq = redis.call('HINCRBY', KEYS[1], 'q', 1)

if kind == 'p' then
  for i = 1, n do
    if not skip[i] then
      local b = 13 + (i - 1) * 3
      if ARGV[b + 1] == '+' then
        redis.call('HSET', KEYS[3], ARGV[b + 2], ARGV[b + 3])
        redis.call('HSET', KEYS[4], ARGV[b + 2], ARGV[11])
      else
        redis.call('HDEL', KEYS[3], ARGV[b + 2])
        redis.call('HDEL', KEYS[4], ARGV[b + 2])
      end
    end
  end
end

-- entry id: seq-expiresAt, so the id alone tells both the position and the expiry
local retention = tonumber(ARGV[2])
local id = string.format('%d-%d', seq, now + retention)
if mask == '' then
  redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[3], id, kind, ARGV[7])
else
  redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[3], id, kind, ARGV[7], 'x', mask)
end

-- time trim, amortized: every 16th event looks at the head and cuts what expired
if seq % 16 == 0 then
  local head = redis.call('XRANGE', KEYS[2], '-', '+', 'COUNT', 1)
  if head[1] and tonumber(string.match(head[1][1], '-(%d+)$')) <= now then
    local from = '-'
    local cut = nil
    for _ = 1, 16 do
      local batch = redis.call('XRANGE', KEYS[2], from, '+', 'COUNT', 64)
      local stop = false
      for _, e in ipairs(batch) do
        local s, x = string.match(e[1], '^(%d+)-(%d+)$')
        if tonumber(x) > now then
          stop = true
          break
        end
        cut = tonumber(s) + 1
      end
      if stop or #batch < 64 then
        break
      end
      from = '(' .. batch[#batch][1]
    end
    if cut then
      redis.call('XTRIM', KEYS[2], 'MINID', string.format('%d', cut))
    end
  end
end

if redis.call('PTTL', KEYS[2]) < retention then
  redis.call('PEXPIRE', KEYS[2], retention)
end
-- the state outlives the log; it never expires while the channel has members
if redis.call('EXISTS', KEYS[3]) == 1 then
  redis.call('PERSIST', KEYS[1])
else
  local ttl = tonumber(ARGV[4])
  if redis.call('PTTL', KEYS[1]) < ttl then
    redis.call('PEXPIRE', KEYS[1], ttl)
  end
end

redis.call('PUBLISH', ARGV[5], epoch .. ' ' .. seq .. ' ' .. mask .. '\n' .. ARGV[7])
return {epoch, seq, mask}
