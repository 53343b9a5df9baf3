-- wrk script: bot-password logins, each from a fresh session.
-- One login = GET meta=tokens&type=login (new session cookie) + POST action=login.
-- Run with one connection per thread (-tN -cN): the state machine is per thread.
-- Environment: BENCH_BOT_USER (User@appid), BENCH_BOT_PASS, BENCH_API_PATH (/w/api.php).

local user = os.getenv("BENCH_BOT_USER") or "Admin@bench"
local pass = os.getenv("BENCH_BOT_PASS") or ""
local path = os.getenv("BENCH_API_PATH") or "/w/api.php"

local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  successes = 0
  failures = 0
  state = "token"
  cookie = nil
  token = nil
end

local function urlencode(s)
  return (s:gsub("[^%w%-_%.~]", function(c)
    return string.format("%%%02X", string.byte(c))
  end))
end

function request()
  if state == "token" then
    return wrk.format("GET", path .. "?action=query&meta=tokens&type=login&format=json")
  end
  local body = "action=login&format=json&lgname=" .. urlencode(user)
    .. "&lgpassword=" .. urlencode(pass) .. "&lgtoken=" .. urlencode(token)
  local headers = { ["Content-Type"] = "application/x-www-form-urlencoded" }
  if cookie then
    headers["Cookie"] = cookie
  end
  return wrk.format("POST", path, headers, body)
end

function response(status, headers, body)
  if state == "token" then
    local t = body:match('"logintoken":"([^"]+)"')
    if t then
      token = t:gsub("\\\\", "\\")
      local sc = headers["Set-Cookie"] or headers["set-cookie"] or ""
      cookie = sc:match("^([^;]+)")
      state = "login"
    else
      failures = failures + 1
    end
  else
    if body:find('"result":"Success"', 1, true) then
      successes = successes + 1
    else
      failures = failures + 1
    end
    state = "token"
  end
end

function done(summary, latency, requests)
  local s, f = 0, 0
  for _, t in ipairs(threads) do
    s = s + t:get("successes")
    f = f + t:get("failures")
  end
  io.write(string.format("LOGINS %d %d %.1f\n", s, f, s / (summary.duration / 1e6)))
end
