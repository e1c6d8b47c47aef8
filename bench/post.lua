-- wrk script for bench/run.py: POST the JSON body in $BODY_FILE, bounded by -d (time) and by
-- $MAX_REQUESTS per thread (count). Counts answers carrying a GraphQL "errors" key, which
-- arrive with status 200, and prints one JSON summary line.
local f = assert(io.open(os.getenv("BODY_FILE"), "rb"))
local body = f:read("*a")
f:close()
local max_requests = tonumber(os.getenv("MAX_REQUESTS") or "500000")
local sent = 0
local req
local threads = {}
graphql_errors = 0 -- global: done() reads it from each thread with thread:get()

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  req = wrk.format("POST", nil, {["Content-Type"] = "application/json", ["Accept"] = "application/json"}, body)
end

function request()
  sent = sent + 1
  if sent > max_requests then wrk.thread:stop() end
  return req
end

function response(status, headers, response_body)
  if string.find(response_body, '"errors":', 1, true) then graphql_errors = graphql_errors + 1 end
end

function done(summary, latency, requests)
  local e = summary.errors
  local graphql = 0
  for _, thread in ipairs(threads) do graphql = graphql + thread:get("graphql_errors") end
  io.write(string.format(
    'WRK_JSON {"requests":%d,"duration_us":%d,"bytes":%d,"rps":%.2f,"lat_mean_us":%.1f,' ..
    '"lat_p50_us":%d,"lat_p90_us":%d,"lat_p99_us":%d,"lat_max_us":%d,' ..
    '"err_connect":%d,"err_read":%d,"err_write":%d,"err_status":%d,"err_timeout":%d,' ..
    '"err_graphql":%d}\n',
    summary.requests, summary.duration, summary.bytes, summary.requests / (summary.duration / 1e6),
    latency.mean, latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max,
    e.connect, e.read, e.write, e.status, e.timeout, graphql))
end
