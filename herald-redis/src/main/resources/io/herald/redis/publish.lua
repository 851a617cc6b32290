-- Appends events to the logs of one or more channels, applies their presence changes and distributes them,
-- atomically: per channel the seqs are consecutive and every node receives the channel's events in one pub/sub frame,
-- in seq order. One call carries every channel a pipeline flush had events for (on a Redis Cluster: those of one slot).
-- KEYS: per channel 4: state hash (e = epoch, q = seq, x = the log's expiry at the earliest), log stream, presence hash (member key -> member),
--       owners hash (member key -> node instance)
-- ARGV: 1 now ms, 2 max entries, 3 state ttl ms, 4 epoch to use for a log that has none, 5 owner of put members,
--       6 PUBLISH or SPUBLISH (Redis Cluster: the channel is sharded, in the slot of its keys), 7 channel count,
--       then per channel: pub/sub channel, id key prefix, event count, the number of arguments of its events, then
--       per event: retention ms, kind
--       ('m' messages, 'p' presence), payload, idempotency window ms (0: no dedupe), owner a removed member must have
--       ('': any), item count, then per item: kind m: the message id ('': none); kind p: op ('+' put, '-' remove),
--       member key, member
-- Returns per channel {epoch, seq1, dropped1, seq2, dropped2, ...}, one after another: seq 0 when every item of the
-- event was dropped (then nothing was appended for it); dropped is a comma list of item indexes. A channel whose
-- commands failed (e.g. a key of the wrong type) has only {'!' .. error}; the other channels go on.
-- Frame: "epoch count\n", then per appended event "seq dropped length\n", then the payloads one after another.
local now = tonumber(ARGV[1])
local out = {}

-- one channel: its keys start at KEYS[k], its arguments at ARGV[a]; its reply goes from out[at] on
local function channel(k, a, at)
  local kState, kLog, kPresence, kOwners = KEYS[k], KEYS[k + 1], KEYS[k + 2], KEYS[k + 3]
  local events, idPrefix, count = ARGV[a], ARGV[a + 1], tonumber(ARGV[a + 2])
  a = a + 4
  local st = redis.call('HMGET', kState, 'e', 'q', 'x')
  local epoch, seq, kept = st[1], tonumber(st[2] or '0'), tonumber(st[3] or '0')
  local created = false
  local firstSeq = seq
  out[at] = ''
  local lines, payloads = {}, {}
  local presenceChanged = false
  local maxRetention = 0
  for _ = 1, count do
    local retention, kind, payload = tonumber(ARGV[a]), ARGV[a + 1], ARGV[a + 2]
    local window, guard, n = tonumber(ARGV[a + 3]), ARGV[a + 4], tonumber(ARGV[a + 5])
    local items = a + 6
    if kind == 'm' then
      a = items + n
    else
      a = items + n * 3
    end
    local dropped, skip = {}, {}
    if kind == 'm' then
      if window > 0 then
        for i = 1, n do
          local id = ARGV[items + i - 1]
          if id ~= '' and not redis.call('SET', idPrefix .. id, '1', 'NX', 'PX', window) then
            dropped[#dropped + 1] = i - 1
          end
        end
      end
    elseif guard ~= '' then
      for i = 1, n do
        local b = items + (i - 1) * 3
        if ARGV[b] == '-' and redis.call('HGET', kOwners, ARGV[b + 1]) ~= guard then
          dropped[#dropped + 1] = i - 1
          skip[i] = true
        end
      end
    end
    local mask = table.concat(dropped, ',')
    if #dropped == n then
      out[#out + 1] = 0
      out[#out + 1] = mask
    else
      if not epoch then
        -- a new life of the log: serials restart under a new epoch, leftovers of an older life go
        epoch = ARGV[4]
        seq = 0
        firstSeq = 0
        created = true
        redis.call('DEL', kLog)
      end
      seq = seq + 1
      if kind == 'p' then
        presenceChanged = true
        for i = 1, n do
          if not skip[i] then
            local b = items + (i - 1) * 3
            if ARGV[b] == '+' then
              redis.call('HSET', kPresence, ARGV[b + 1], ARGV[b + 2])
              redis.call('HSET', kOwners, ARGV[b + 1], ARGV[5])
            else
              redis.call('HDEL', kPresence, ARGV[b + 1])
              redis.call('HDEL', kOwners, ARGV[b + 1])
            end
          end
        end
      end
      -- entry id seq-expiresAt: the id alone tells the position and the expiry
      local id = string.format('%d-%d', seq, now + retention)
      if mask == '' then
        redis.call('XADD', kLog, 'MAXLEN', '~', ARGV[2], id, kind, payload)
      else
        redis.call('XADD', kLog, 'MAXLEN', '~', ARGV[2], id, kind, payload, 'x', mask)
      end
      if retention > maxRetention then
        maxRetention = retention
      end
      out[#out + 1] = seq
      out[#out + 1] = mask
      lines[#lines + 1] = string.format('%d %s %d\n', seq, mask, #payload)
      payloads[#payloads + 1] = payload
    end
  end
  out[at] = epoch or ''
  if #payloads == 0 then
    return
  end

  -- time trim, amortized: about every 16th event, look at the head and cut what expired
  if math.floor(seq / 16) ~= math.floor(firstSeq / 16) then
    local head = redis.call('XRANGE', kLog, '-', '+', 'COUNT', 1)
    if head[1] and tonumber(string.match(head[1][1], '-(%d+)$')) <= now then
      local from = '-'
      local cut = nil
      for _ = 1, 16 do
        local batch = redis.call('XRANGE', kLog, from, '+', 'COUNT', 64)
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
        redis.call('XTRIM', kLog, 'MINID', string.format('%d', cut))
      end
    end
  end

  redis.call('HSET', kState, 'e', epoch, 'q', seq)

  -- the log lives at least as long as its newest entry, the state longer. Both lifetimes are refreshed about once a
  -- minute, not per event: x in the state is when the log expires at the earliest (as this script last set or saw
  -- it; objects.lua, which may shorten the state's, drops x), so most calls need no PTTL at all.
  local slack = math.min(60000, maxRetention)
  if created or presenceChanged or kept < now + maxRetention then
    local left = redis.call('PTTL', kLog)
    if left < maxRetention then
      redis.call('PEXPIRE', kLog, maxRetention + slack)
      left = maxRetention + slack
    end
    kept = now + left
    -- the state outlives the log and never expires while the channel has members (it has no ttl exactly then)
    local ttl = math.max(tonumber(ARGV[3]), maxRetention + slack)
    if presenceChanged or created then
      if redis.call('EXISTS', kPresence) == 1 then
        redis.call('PERSIST', kState)
      else
        redis.call('PEXPIRE', kState, ttl + 60000)
      end
    else
      local t = redis.call('PTTL', kState)
      if t >= 0 and t < ttl then
        redis.call('PEXPIRE', kState, ttl + 60000)
      end
    end
    redis.call('HSET', kState, 'x', kept)
  end

  redis.call(ARGV[6], events, epoch .. ' ' .. #payloads .. '\n' .. table.concat(lines) .. table.concat(payloads))
end

local k, a = 1, 8
for _ = 1, tonumber(ARGV[7]) do
  local at = #out + 1
  local ok, err = pcall(channel, k, a, at)
  if not ok then
    -- what the channel did before the failure stays (as a script's writes do); its publishers get the error
    for i = #out, at + 1, -1 do
      out[i] = nil
    end
    out[at] = '!' .. (type(err) == 'table' and (err.err or '?') or tostring(err))
  end
  a = a + 4 + tonumber(ARGV[a + 3])
  k = k + 4
end
return out
