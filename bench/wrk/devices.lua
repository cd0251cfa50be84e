-- wrk script for the device-gateway benchmark: the same requests to Lockstep and to Seam's fake.
--
--   wrk -t2 -c16 -d30s --latency -s bench/wrk/devices.lua http://127.0.0.1:PORT -- MODE IDS_FILE API_KEY
--
-- MODE get:  GET /devices/get?device_id=<random device id from IDS_FILE>
-- MODE list: GET /devices/list (the workspace's devices; IDS_FILE is read but not used)
--
-- At the end it prints one line "WRK_RESULT {json}" with exact percentiles (microseconds) and the
-- error counts, as bench/wrk/phones.lua does; wrk's own --latency table is printed too.

local ids = {}
local mode
local headers

function init(args)
  mode = args[1]
  local file = args[2]
  local key = args[3]
  if mode ~= "get" and mode ~= "list" then
    error("MODE must be get or list, not " .. tostring(mode))
  end
  for line in io.lines(file) do
    if #line > 0 then
      ids[#ids + 1] = line
    end
  end
  if #ids == 0 then
    error("no ids in " .. file)
  end
  headers = { ["Authorization"] = "Bearer " .. key }
  -- Each thread has its own Lua state: seed each differently.
  math.randomseed(os.time() + (tonumber(tostring(ids):match("0x(%x+)") or "0", 16) % 100000))
end

function request()
  if mode == "get" then
    return wrk.format("GET", "/devices/get?device_id=" .. ids[math.random(#ids)], headers)
  end
  return wrk.format("GET", "/devices/list", headers)
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
