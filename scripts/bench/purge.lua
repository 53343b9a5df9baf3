-- wrk script: action=purge of a fixed list of titles, POSTed (one static request).
-- Environment: BENCH_TITLES (titles separated by "|"), BENCH_EXTRA (more
-- parameters, e.g. "&forcelinkupdate=1"). Send the session with -H "Cookie: …".
-- Counts API errors and throttled answers (MediaWiki's "ratelimited" warning)
-- as errors, since a throttled page is not purged.
local threads = {}

local function urlencode(s)
  return (s:gsub("[^%w%-_%.~]", function(c)
    return string.format("%%%02X", string.byte(c))
  end))
end

wrk.method = "POST"
wrk.body = "action=purge&format=json&titles=" .. urlencode(os.getenv("BENCH_TITLES") or "Main Page")
  .. (os.getenv("BENCH_EXTRA") or "")
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  api_errors = 0
end

function response(status, headers, body)
  if string.find(body, '"error"', 1, true) or string.find(body, '"warnings"', 1, true)
      or not string.find(body, '"purged"', 1, true) then
    api_errors = api_errors + 1
  end
end

function done(summary, latency, requests)
  local errs = 0
  for _, t in ipairs(threads) do
    errs = errs + (t:get("api_errors") or 0)
  end
  io.write(string.format("api-errors %d\n", errs))
end
