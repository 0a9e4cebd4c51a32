-- loomchan-redis: every rule of a channel as one atomic step on the server.
--
-- KEYS (all under the hash tag {loomchan:NAME}, so one cluster slot holds the whole channel):
--   1 meta      hash: epoch, capacity, closed ('0'/'1'), cause, redelivered (count)
--   2 ready     list of envelopes waiting for a consumer, oldest at the head; when closed, the END marker at the tail
--   3 inflight  list of envelopes handed to a consumer and not yet acknowledged (BLMOVE moves into it)
--   4 leases    sorted set: envelope -> lease deadline (server clock, ms)
--   5 lanes     hash: lane -> result of the lane's last mutating call (makes retries after a lost reply idempotent)
--   6 dead      list of envelopes whose payload the client could not decode
--   7 tokens    hash: envelope -> token of its current lease; an ack or release counts only with the current token,
--               so a consumer whose lease expired cannot acknowledge the item for its next consumer
-- ARGV: 1 op, 2 epoch, 3 event (pub/sub) channel, then the op's own arguments.
--
-- An envelope is "<id>|<payload>"; ids are made of [0-9a-z./] so END can never equal an envelope.
-- Capacity bounds ready items + inflight items: a redelivered item keeps its place in the count.

local META, READY, INFLIGHT, LEASES, LANES, DEAD, TOKENS = KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5], KEYS[6], KEYS[7]
local op, epoch, events = ARGV[1], ARGV[2], ARGV[3]
local END = '~END~'

local function now_ms()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end

-- ------------------------------------------------------------------ creation (no epoch check: it makes the epoch)
if op == 'create' then
  -- ARGV 6 new epoch, 7 capacity
  local existing = redis.call('HMGET', META, 'epoch', 'capacity')
  if existing[1] then
    return {'EXISTS', existing[1], tonumber(existing[2])}
  end
  redis.call('HSET', META, 'epoch', ARGV[6], 'capacity', ARGV[7], 'closed', '0', 'created', now_ms())
  return {'CREATED', ARGV[6], tonumber(ARGV[7])}
elseif op == 'attach' then
  local existing = redis.call('HMGET', META, 'epoch', 'capacity')
  if not existing[1] then return {'MISSING'} end
  return {'EXISTS', existing[1], tonumber(existing[2])}
elseif op == 'destroy' then
  return redis.call('DEL', META, READY, INFLIGHT, LEASES, LANES, DEAD, TOKENS)
end

-- ------------------------------------------------------------------ every other op: the channel must be the one we know
local current = redis.call('HGET', META, 'epoch')
if not current then return {'LOST'} end
if current ~= epoch then return {'EPOCH'} end

-- lane dedup: a retried call (same lane, same seq) returns the result recorded by the first execution
local lane, seq = ARGV[4], ARGV[5]
if lane ~= '' then
  local last = redis.call('HGET', LANES, lane)
  if last then
    local bar = string.find(last, '|', 1, true)
    if string.sub(last, 1, bar - 1) == seq then
      return cmsgpack.unpack(string.sub(last, bar + 1))
    end
  end
end
local function record(result)
  if lane ~= '' then redis.call('HSET', LANES, lane, seq .. '|' .. cmsgpack.pack(result)) end
  return result
end

local capacity = tonumber(redis.call('HGET', META, 'capacity'))
local closed = redis.call('HGET', META, 'closed') == '1'

-- When closed, the END marker sits once at the tail of READY (a consumer's BLMOVE may have moved it to INFLIGHT).
local function fix_end()
  if not closed then return end
  redis.call('LREM', INFLIGHT, 0, END)
  if redis.call('LINDEX', READY, -1) ~= END then
    redis.call('LREM', READY, 0, END)
    redis.call('RPUSH', READY, END)
  end
end
fix_end()

local function ready_items()
  local n = redis.call('LLEN', READY)
  if closed then n = n - 1 end
  return n
end
local function inflight_items() return redis.call('LLEN', INFLIGHT) end

local function cause() return redis.call('HGET', META, 'cause') or false end

-- Items taken out of the count: wake blocked producers if the channel was full, joiners if it is now done.
local function after_removal(used_before, removed)
  if removed <= 0 then return end
  if used_before >= capacity then redis.call('PUBLISH', events, 'room') end
  if closed and ready_items() == 0 and inflight_items() == 0 then redis.call('PUBLISH', events, 'done') end
end

-- Expired leases go back to the head of READY (judged on the server clock). Items in INFLIGHT without a lease
-- (a BLMOVE whose reply was lost, or whose consumer has not claimed it yet) first get one of grace_ms.
local function reap(now, grace_ms)
  local n = redis.call('LLEN', INFLIGHT)
  if n > redis.call('ZCARD', LEASES) then
    for _, env in ipairs(redis.call('LRANGE', INFLIGHT, 0, -1)) do
      if env ~= END and not redis.call('ZSCORE', LEASES, env) then
        redis.call('ZADD', LEASES, 'NX', now + grace_ms, env)
      end
    end
  end
  local expired = redis.call('ZRANGEBYSCORE', LEASES, '-inf', now, 'LIMIT', 0, 100)
  local back = 0
  for i = #expired, 1, -1 do
    local env = expired[i]
    redis.call('ZREM', LEASES, env)
    redis.call('HDEL', TOKENS, env)
    if redis.call('LREM', INFLIGHT, 1, env) > 0 then
      redis.call('LPUSH', READY, env)
      back = back + 1
    end
  end
  if back > 0 then redis.call('HINCRBY', META, 'redelivered', back) end
  return back
end

-- How long a consumer of a closed channel should wait for an acknowledgement or a redelivery.
local function wait_hint(now, grace_ms)
  local first = redis.call('ZRANGE', LEASES, 0, 0, 'WITHSCORES')
  if first[2] then
    local ms = tonumber(first[2]) - now
    if ms < 1 then ms = 1 end
    return ms
  end
  return grace_ms
end

local function closed_state(now, grace_ms)
  if inflight_items() == 0 then return {'DONE', cause()} end
  return {'WAIT', wait_hint(now, grace_ms)}
end

local function push_all(key, list, from, to, left)
  local chunk = {}
  for i = from, to do
    chunk[#chunk + 1] = list[i]
    if #chunk == 1000 or i == to then
      redis.call(left and 'LPUSH' or 'RPUSH', key, unpack(chunk))
      chunk = {}
    end
  end
end

-- ------------------------------------------------------------------ the operations
if op == 'put' then
  -- ARGV 6 grace_ms, 7.. envelopes; puts as many as fit (at least one or none), returns {'OK', n} / FULL / CLOSED
  if closed then return {'CLOSED', cause()} end
  reap(now_ms(), tonumber(ARGV[6]))
  local room = capacity - ready_items() - inflight_items()
  local count = #ARGV - 6
  if room <= 0 then return {'FULL'} end
  if count > room then count = room end
  -- envelopes go after the END marker position; the channel is open, so there is none
  local envs = {}
  for i = 1, count do envs[i] = ARGV[6 + i] end
  push_all(READY, envs, 1, count, false)
  return record({'OK', count})

elseif op == 'take' then
  -- ARGV 6 max, 7 lease_ms (0: at-most-once), 8 grace_ms
  local max, lease_ms, grace_ms = tonumber(ARGV[6]), tonumber(ARGV[7]), tonumber(ARGV[8])
  local now = now_ms()
  reap(now, grace_ms)
  local avail = ready_items()
  if avail > 0 then
    local k = math.min(max, avail)
    local used_before = avail + inflight_items()
    local items = redis.call('LPOP', READY, k)
    if lease_ms > 0 then
      -- one call per key for the whole batch: each redis.call costs about as much as the work it does
      local last = redis.call('HINCRBY', META, 'tokens', k)
      local tokens, scored, owned = {}, {}, {}
      for i, env in ipairs(items) do
        tokens[i] = last - k + i
        scored[2 * i - 1] = now + lease_ms
        scored[2 * i] = env
        owned[2 * i - 1] = env
        owned[2 * i] = tokens[i]
      end
      redis.call('RPUSH', INFLIGHT, unpack(items))
      redis.call('ZADD', LEASES, unpack(scored))
      redis.call('HSET', TOKENS, unpack(owned))
      return {'ITEMS', items, tokens}
    end
    after_removal(used_before, k)
    return record({'ITEMS', items})
  end
  if closed then return closed_state(now, grace_ms) end
  return {'EMPTY'}

elseif op == 'claim' then
  -- after a BLMOVE moved ARGV[6] into INFLIGHT. ARGV 7 lease_ms (0: at-most-once), 8 grace_ms
  local env, lease_ms, grace_ms = ARGV[6], tonumber(ARGV[7]), tonumber(ARGV[8])
  local now = now_ms()
  if env == END then
    -- fix_end() above already moved it back to READY
    reap(now, grace_ms)
    if ready_items() > 0 then return {'RETRY'} end
    return closed_state(now, grace_ms)
  end
  if not redis.call('LPOS', INFLIGHT, env) then
    -- the lease given by a reaper expired and the item went back to READY: not ours any more
    return record({'GONE'})
  end
  if lease_ms > 0 then
    local token = redis.call('HINCRBY', META, 'tokens', 1)
    redis.call('ZADD', LEASES, now + lease_ms, env)
    redis.call('HSET', TOKENS, env, token)
    return record({'OK', token})
  end
  local used_before = ready_items() + inflight_items()
  redis.call('LREM', INFLIGHT, 1, env)
  redis.call('ZREM', LEASES, env)
  after_removal(used_before, 1)
  return record({'OK'})

elseif op == 'ack' then
  -- ARGV 6.. pairs (envelope, token); returns one 1/0 per pair (0: not this lease any more: expired, or settled)
  local used_before = ready_items() + inflight_items()
  local envs = {}
  for i = 6, #ARGV, 2 do envs[#envs + 1] = ARGV[i] end
  local current = redis.call('HMGET', TOKENS, unpack(envs))
  local result, removed, settled, is_settled = {}, 0, {}, {}
  for j, env in ipairs(envs) do
    result[j] = 0
    if current[j] == ARGV[5 + 2 * j] then
      settled[#settled + 1] = env
      is_settled[env] = j
    end
  end
  if #settled <= 4 then
    -- a few: LREM each (it costs a scan and a call per item)
    for _, env in ipairs(settled) do
      local r = redis.call('LREM', INFLIGHT, 1, env)
      result[is_settled[env]] = r
      removed = removed + r
    end
  elseif #settled > 0 then
    -- a batch: rewrite the in-flight list once without the settled items (one scan for the whole batch)
    local keep = {}
    for _, env in ipairs(redis.call('LRANGE', INFLIGHT, 0, -1)) do
      local j = is_settled[env]
      if j and result[j] == 0 then
        result[j] = 1
        removed = removed + 1
      else
        keep[#keep + 1] = env
      end
    end
    redis.call('DEL', INFLIGHT)
    if #keep > 0 then push_all(INFLIGHT, keep, 1, #keep, false) end
  end
  if #settled > 0 then
    redis.call('HDEL', TOKENS, unpack(settled))
    redis.call('ZREM', LEASES, unpack(settled))
  end
  after_removal(used_before, removed)
  return {'ACKED', result}

elseif op == 'release' then
  -- ARGV 6 force ('1': envelopes taken at-most-once, not in flight), 7.. pairs (envelope, token) back to the
  -- head of READY, first one first
  local back = {}
  for i = 7, #ARGV, 2 do
    local env = ARGV[i]
    if ARGV[6] == '1' then
      back[#back + 1] = env
    elseif redis.call('HGET', TOKENS, env) == ARGV[i + 1] then
      redis.call('HDEL', TOKENS, env)
      redis.call('ZREM', LEASES, env)
      if redis.call('LREM', INFLIGHT, 1, env) > 0 then back[#back + 1] = env end
    end
  end
  for i = #back, 1, -1 do redis.call('LPUSH', READY, back[i]) end
  return record({'RELEASED', #back})

elseif op == 'bury' then
  -- ARGV 6 envelope that failed to decode, 7 its lease token, or '' if it was taken out at-most-once
  local env = ARGV[6]
  if ARGV[7] ~= '' then
    if redis.call('HGET', TOKENS, env) ~= ARGV[7] then return record({'GONE'}) end
    local used_before = ready_items() + inflight_items()
    redis.call('HDEL', TOKENS, env)
    redis.call('ZREM', LEASES, env)
    local r = redis.call('LREM', INFLIGHT, 1, env)
    if r == 0 then return record({'GONE'}) end
    redis.call('RPUSH', DEAD, env)
    after_removal(used_before, 1)
  else
    redis.call('RPUSH', DEAD, env)
  end
  return record({'BURIED'})

elseif op == 'dead' then
  -- ARGV 6 max: take up to max dead envelopes out of the channel (the caller keeps them)
  local items = redis.call('LPOP', DEAD, tonumber(ARGV[6]))
  return record({'DEAD', items or {}})

elseif op == 'requeue' then
  -- dead envelopes back to the head of READY (they were put once; capacity is not checked again)
  -- they go to the tail, in the order they died (capacity is not checked again: they were put once)
  local items = redis.call('LRANGE', DEAD, 0, -1)
  redis.call('DEL', DEAD)
  if #items > 0 then push_all(READY, items, 1, #items, false) end
  if closed then
    redis.call('LREM', READY, 0, END)
    redis.call('RPUSH', READY, END)
  end
  return record({'REQUEUED', #items})

elseif op == 'close' then
  -- ARGV 6 cause ('' for none)
  if closed then return record({'ALREADY'}) end
  redis.call('HSET', META, 'closed', '1')
  if ARGV[6] ~= '' then redis.call('HSET', META, 'cause', ARGV[6]) end
  closed = true
  redis.call('RPUSH', READY, END)
  redis.call('PUBLISH', events, 'closed')
  return record({'CLOSED'})

elseif op == 'state' then
  -- ARGV 6 grace_ms
  reap(now_ms(), tonumber(ARGV[6]))
  return {'STATE', closed and 1 or 0, cause(), ready_items(), inflight_items(), capacity,
          redis.call('LLEN', DEAD), tonumber(redis.call('HGET', META, 'redelivered') or '0')}

elseif op == 'snapshot' then
  local items = redis.call('LRANGE', READY, 0, -1)
  if closed then table.remove(items) end
  return {'SNAPSHOT', items}
end

return redis.error_reply('loomchan: unknown op ' .. tostring(op))
