-- wrk script: POSTs pre-signed distinct events from EVENTS_FILE (see make-signed-events.py).
local events = {}
local index = 0
local threads = 0

-- Runs once per thread in the main state: gives each thread its own slice of the events.
function setup(thread)
  thread:set("offset", threads)
  threads = threads + 1
end

function init(args)
  local file = assert(io.open(os.getenv("EVENTS_FILE"), "r"))
  for line in file:lines() do
    local signature, body = line:match("^(%x+)\t(.*)$")
    events[#events + 1] = { signature = signature, body = body }
  end
  file:close()
  -- Thread k sends events k, k+2, k+4, … (with two threads), so no two requests share a body.
  index = offset
end

local function stride()
  return tonumber(os.getenv("WRK_THREADS") or "2")
end

function request()
  index = index + stride()
  local event = events[(index % #events) + 1]
  return wrk.format("POST", nil, {
    ["Content-Type"] = "application/json",
    ["X-JFrog-Event-Auth"] = event.signature,
  }, event.body)
end
