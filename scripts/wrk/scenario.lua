-- wrk script of `make bench` (scripts/bench.sh): one scenario, its result as JSON.
--
-- Environment:
--   WRK_OUT       where done() writes the result (JSON, the fields clp-bench writes)
--   WRK_SCENARIO  the scenario's name in the result; WRK_CONNECTIONS its connection count
--   WRK_KEYS      optional: a file of registration keys, one a line; then every request is
--                 POST {"key": <a random key of the file>} to the URL's path (the preview)
local keys = {}
local keys_file = os.getenv("WRK_KEYS")
if keys_file and keys_file ~= "" then
  for line in io.lines(keys_file) do
    if line ~= "" then keys[#keys + 1] = line end
  end
  assert(#keys > 0, "WRK_KEYS holds no key")
end

-- One seed per thread (wrk runs this file once per thread).
math.randomseed(os.time() + tonumber(tostring({}):sub(8), 16) % 100000)

local headers = { ["Content-Type"] = "application/json" }

request = function()
  if #keys == 0 then
    return wrk.format("GET")
  end
  local key = keys[math.random(#keys)]
  return wrk.format("POST", nil, headers, '{"key":"' .. key .. '"}')
end

done = function(summary, latency, requests)
  local errors = summary.errors
  local failed = errors.connect + errors.read + errors.write + errors.timeout + errors.status
  local seconds = summary.duration / 1e6
  local ok = summary.requests - failed
  local json = string.format(
    '{"scenario":"%s","generator":"wrk","connections":%d,"duration_s":%.3f,"requests":%d,' ..
    '"errors":%d,"rps":%.1f,"p50_ms":%.3f,"p90_ms":%.3f,"p99_ms":%.3f,"max_ms":%.3f,' ..
    '"statuses":{"non_2xx_3xx":%d,"socket":%d}}\n',
    os.getenv("WRK_SCENARIO") or "wrk", tonumber(os.getenv("WRK_CONNECTIONS") or "0"), seconds, summary.requests,
    failed, ok / seconds, latency:percentile(50) / 1000, latency:percentile(90) / 1000,
    latency:percentile(99) / 1000, latency.max / 1000, errors.status,
    errors.connect + errors.read + errors.write + errors.timeout)
  local out = os.getenv("WRK_OUT")
  if out and out ~= "" then
    local file = assert(io.open(out, "w"))
    file:write(json)
    file:close()
  else
    io.write(json)
  end
end
