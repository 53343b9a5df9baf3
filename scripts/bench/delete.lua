-- wrk script: action=delete (or undelete) of pre-made pages "<prefix><thread>-<n>",
-- one request each, in a logged-in session.
--   BENCH_ACTION=delete|undelete BENCH_PREFIX=... BENCH_COOKIE=... BENCH_TOKEN=...
--   BENCH_API_PATH=/w/api.php wrk -t2 -c2 -d10s -s scripts/bench/delete.lua URL
-- Prints "api-errors N" (answers with an "error" member) and "api-ok N" at the end.
local threads = {}
local counter = 1

function setup(thread)
  thread:set("id", counter)
  counter = counter + 1
  table.insert(threads, thread)
end

local function urlencode(s)
  return (s:gsub("[^%w%-_%.~]", function(c) return string.format("%%%02X", string.byte(c)) end))
end

function init(args)
  n = 0
  api_errors = 0
  api_ok = 0
  action = os.getenv("BENCH_ACTION") or "delete"
  prefix = os.getenv("BENCH_PREFIX") or "Bench del "
  token = urlencode(os.getenv("BENCH_TOKEN") or "+\\")
  path = os.getenv("BENCH_API_PATH") or "/w/api.php"
  wrk.headers["Cookie"] = os.getenv("BENCH_COOKIE") or ""
  wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
end

function request()
  n = n + 1
  local title = urlencode(prefix .. id .. "-" .. n)
  local body = "action=" .. action .. "&format=json&reason=bench&title=" .. title .. "&token=" .. token
  return wrk.format("POST", path, nil, body)
end

function response(status, headers, body)
  if body:find('"error"', 1, true) then
    api_errors = api_errors + 1
  elseif body:find('"' .. action .. '":{', 1, true) then
    api_ok = api_ok + 1
  end
end

function done(summary, latency, requests)
  local errors, ok = 0, 0
  for _, t in ipairs(threads) do
    errors = errors + (t:get("api_errors") or 0)
    ok = ok + (t:get("api_ok") or 0)
  end
  io.write(string.format("api-errors %d\napi-ok %d\n", errors, ok))
end
