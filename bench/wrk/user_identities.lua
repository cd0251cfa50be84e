-- wrk script for identity-service: each request picks a random line from a file.
--
--   wrk -t2 -c16 -d30s --latency -s bench/wrk/user_identities.lua http://127.0.0.1:PORT -- MODE LINES_FILE API_KEY [LIMIT]
--
-- MODE list:    GET /user_identities/list?limit=LIMIT[&page_cursor=<random cursor from LINES_FILE>]
--               (a line "-" asks for the first page; LIMIT defaults to 100)
-- MODE devices: GET /user_identities/list_accessible_devices?user_identity_id=<random id from LINES_FILE>
--
-- At the end it prints one line "WRK_RESULT {json}" with exact percentiles (microseconds) and the
-- error counts, as bench/wrk/phones.lua does; wrk's own --latency table is printed too.

local lines = {}
local mode
local headers
local limit

function init(args)
  mode = args[1]
  local file = args[2]
  local key = args[3]
  limit = args[4] or "100"
  if mode ~= "list" and mode ~= "devices" then
    error("MODE must be list or devices, not " .. tostring(mode))
  end
  for line in io.lines(file) do
    if #line > 0 then
      lines[#lines + 1] = line
    end
  end
  if #lines == 0 then
    error("no lines in " .. file)
  end
  headers = { ["Authorization"] = "Bearer " .. key }
  -- Each thread has its own Lua state: seed each differently.
  math.randomseed(os.time() + (tonumber(tostring(lines):match("0x(%x+)") or "0", 16) % 100000))
end

function request()
  local line = lines[math.random(#lines)]
  if mode == "devices" then
    return wrk.format("GET", "/user_identities/list_accessible_devices?user_identity_id=" .. line, headers)
  end
  if line == "-" then
    return wrk.format("GET", "/user_identities/list?limit=" .. limit, headers)
  end
  return wrk.format("GET", "/user_identities/list?limit=" .. limit .. "&page_cursor=" .. line, headers)
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'WRK_RESULT {"requests":%d,"duration_us":%d,"bytes":%d,'
      .. '"errors_connect":%d,"errors_read":%d,"errors_write":%d,"errors_status":%d,"errors_timeout":%d,'
      .. '"latency_mean_us":%.1f,"latency_p50_us":%d,"latency_p75_us":%d,"latency_p90_us":%d,'
      .. '"latency_p99_us":%d,"latency_p999_us":%d,"latency_max_us":%d}\n',
    summary.requests, summary.duration, summary.bytes,
    e.connect, e.read, e.write, e.status, e.timeout,
    latency.mean, latency:percentile(50), latency:percentile(75), latency:percentile(90),
    latency:percentile(99), latency:percentile(99.9), latency.max))
end
