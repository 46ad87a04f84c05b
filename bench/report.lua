-- wrk script: sends the bearer token (BENCH_TOKEN), or for a page the session's cookie
-- (BENCH_COOKIE) and Accept (BENCH_ACCEPT), and reports one JSON line at the end.
local token = os.getenv("BENCH_TOKEN")
if token and token ~= "" then
  wrk.headers["Authorization"] = "Bearer " .. token
end
local cookie = os.getenv("BENCH_COOKIE")
if cookie and cookie ~= "" then
  wrk.headers["Cookie"] = cookie
end
wrk.headers["Accept"] = os.getenv("BENCH_ACCEPT") or "application/json"

-- BENCH_PATHS: a file of request paths, one a line, sent in turn (e.g. search queries).
local paths = {}
local paths_file = os.getenv("BENCH_PATHS")
if paths_file and paths_file ~= "" then
  for line in io.lines(paths_file) do
    if line ~= "" then paths[#paths + 1] = line end
  end
end
local next_path = 0
if #paths > 0 then
  request = function()
    next_path = next_path % #paths + 1
    return wrk.format(nil, paths[next_path])
  end
end

done = function(summary, latency, requests)
  local seconds = summary.duration / 1000000
  local e = summary.errors
  io.write(string.format(
    'BENCH_RESULT {"requests": %d, "seconds": %.3f, "rps": %.1f, ' ..
    '"p50_ms": %.2f, "p95_ms": %.2f, "p99_ms": %.2f, "max_ms": %.2f, ' ..
    '"non_2xx": %d, "socket_errors": %d}\n',
    summary.requests, seconds, summary.requests / seconds,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000,
    latency:percentile(99) / 1000, latency.max / 1000,
    e.status, e.connect + e.read + e.write + e.timeout))
end
