-- wrk script: POST /api/attendances with timelines that stay valid under any concurrency.
--   wrk -s bench/ingest.lua URL -- TOKEN FIRST_USER USERS_PER_THREAD DAY_START_EPOCH
-- Each wrk thread owns its own USERS_PER_THREAD users and cycles through them. A user's next
-- event is sent only once the answer to the previous one has come back (read from the response:
-- the stored attendance names its user_id), so even a request stalled for seconds cannot let a
-- check-out overtake its check-in; a user with an event in flight is skipped for now. A user's
-- k-th event is a check-in for even k, a check-out for odd k, at DAY_START + 1 h + 2k s (UTC; the
-- bench school is in UTC), so each day of a run alternates and starts with a check-in. Every
-- event has its own client_id.

local next_thread = 0
function setup(thread)
  thread:set("thread_index", next_thread)
  next_thread = next_thread + 1
end

local issued = {}    -- events sent per user (index 0 .. per_thread-1)
local answered = {}  -- events answered with 2xx per user
local cursor = 0

function init(args)
  token = args[1]
  first_user = tonumber(args[2])
  per_thread = tonumber(args[3])
  day_start = tonumber(args[4])
  base_user = first_user + thread_index * per_thread
  headers = {["Authorization"] = "Bearer " .. token, ["Content-Type"] = "application/json"}
  for i = 0, per_thread - 1 do
    issued[i] = 0
    answered[i] = 0
  end
end

function request()
  -- The next user with nothing in flight (there is always one: per_thread > connections).
  local i = cursor
  for _ = 1, per_thread do
    if issued[i] == answered[i] then break end
    i = (i + 1) % per_thread
  end
  cursor = (i + 1) % per_thread
  local round = issued[i]
  issued[i] = round + 1
  local user = base_user + i
  local kind = (round % 2 == 0) and "checkin" or "checkout"
  local stamp = os.date("!%Y-%m-%dT%H:%M:%SZ", day_start + 3600 + round * 2)
  local body = string.format(
    '{"attendance":{"user_id":%d,"type":"%s","temperature":36.6,"timestamp":"%s","client_id":"wrk-%d-%d-%d"}}',
    user, kind, stamp, day_start, user, round)
  return wrk.format("POST", "/api/attendances", headers, body)
end

-- The first few refusals are printed (stderr) so that a non-2xx count can be explained; a
-- refused user's counters stay apart, so that user is not used again in this run.
local shown = 0
function response(status, headers, body)
  if status < 300 then
    local user = tonumber(string.match(body, '"user_id":(%d+)'))
    if user then
      local i = user - base_user
      if answered[i] then answered[i] = answered[i] + 1 end
    end
  elseif shown < 3 then
    shown = shown + 1
    io.stderr:write("ingest.lua: " .. status .. " " .. body .. "\n")
  end
end
