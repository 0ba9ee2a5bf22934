-- wrk script: GET /api/attendances?limit=100&after=N, pages starting all over 0..MAX_ID.
--   wrk -s bench/read_page.lua URL -- TOKEN MAX_ID [FIRST]
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
  local after = (counter * 7919) % math.max(1, max_id - 100) + 1  -- the API takes positive ids only
  return wrk.format("GET", "/api/attendances?limit=100&after=" .. after, headers)
end
