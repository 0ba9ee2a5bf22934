-- wrk script: GET /api/attendances/:id for ids spread over 1..MAX_ID.
--   wrk -s bench/read_one.lua URL -- TOKEN MAX_ID [FIRST]
-- FIRST (default 0) starts the sequence elsewhere: a warm-up run reads other rows than the run it warms.
local counter = 0
function init(args)
  token = args[1]
  max_id = tonumber(args[2])
  counter = tonumber(args[3] or "0")
  headers = {["Authorization"] = "Bearer " .. token}
end

function request()
  counter = counter + 1
  local id = (counter * 7919) % max_id + 1  -- a fixed stride: spread, deterministic, no RNG
  return wrk.format("GET", "/api/attendances/" .. id, headers)
end
