-- wrk script: anonymous action=edit of distinct pages (one new page per request).
-- Counts API errors (HTTP 200 with an "error" key, e.g. MediaWiki's rate limit).
local threads = {}
local next_id = 0

function setup(thread)
  thread:set("tid", next_id)
  next_id = next_id + 1
  table.insert(threads, thread)
end

function init(args)
  n = 0
  api_errors = 0
  math.randomseed(os.time() + tid * 7919)
  run_tag = tostring(math.random(1, 1000000000))
end

function request()
  n = n + 1
  local body = "action=edit&format=json&token=%2B%5C&summary=bench"
    .. "&title=Bench_" .. run_tag .. "_" .. tid .. "_" .. n
    .. "&text=Benchmark%20page%20" .. n .. "%20linking%20%5B%5BMain%20Page%5D%5D."
  return wrk.format("POST", nil, { ["Content-Type"] = "application/x-www-form-urlencoded" }, body)
end

function response(status, headers, body)
  if string.find(body, '"error"', 1, true) then
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
