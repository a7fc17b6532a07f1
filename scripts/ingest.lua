-- wrk script: POSTs pre-signed distinct events from EVENTS_FILE (see make-signed-events.py).
-- Each thread formats its requests once, at start, so sending one costs wrk what a plain GET does.
local requests = {}
local index = 0
local threads = 0

-- Runs once per thread in the main state: gives each thread its own slice of the events.
function setup(thread)
  thread:set("offset", threads)
  threads = threads + 1
end

function init(args)
  local stride = tonumber(os.getenv("WRK_THREADS") or "2")
  local file = assert(io.open(os.getenv("EVENTS_FILE"), "r"))
  local line_number = 0
  for line in file:lines() do
    -- Thread k sends events k, k+2, k+4, … (with two threads), so no two requests share a body.
    if line_number % stride == offset then
      local signature, body = line:match("^(%x+)\t(.*)$")
      requests[#requests + 1] = wrk.format("POST", nil, {
        ["Content-Type"] = "application/json",
        ["X-JFrog-Event-Auth"] = signature,
      }, body)
    end
    line_number = line_number + 1
  end
  file:close()
end

function request()
  index = index % #requests + 1
  return requests[index]
end
