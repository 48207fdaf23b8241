-- wrk script for bench/load.py: checks every response and prints the figures load.py reads.
-- Arguments (after `--`): the expected status and a text every expected body contains.
-- wrk runs each thread in its own Lua state, so per-thread counts are summed in done().

-- LODESTAR_BENCH_PATHS (one path a line, from load.py's Target.paths), when set, makes every
-- request take the next of those paths in turn; unset, no request() is defined and wrk sends
-- the URL's path alone, as a static request.

local threads = {}

local rotation = {}
for line in string.gmatch(os.getenv("LODESTAR_BENCH_PATHS") or "", "[^\n]+") do
   table.insert(rotation, line)
end

if #rotation > 0 then
   local turn = 0
   function request()
      turn = turn % #rotation + 1
      return wrk.format(nil, rotation[turn])
   end
end

function setup(thread)
   table.insert(threads, thread)
end

function init(args)
   expected_status = tonumber(args[1]) or 200
   marker = args[2] or ""
   wrong_status = 0
   wrong_body = 0
   first_wrong_status = 0
end

function response(status, headers, body)
   if status ~= expected_status then
      wrong_status = wrong_status + 1
      if first_wrong_status == 0 then
         first_wrong_status = status
      end
   elseif marker ~= "" and not string.find(body, marker, 1, true) then
      wrong_body = wrong_body + 1
   end
end

function done(summary, latency, requests)
   local bad_status, bad_body, first_wrong = 0, 0, 0
   for _, thread in ipairs(threads) do
      bad_status = bad_status + thread:get("wrong_status")
      bad_body = bad_body + thread:get("wrong_body")
      if first_wrong == 0 then
         first_wrong = thread:get("first_wrong_status")
      end
   end
   local e = summary.errors
   -- latency:percentile() is in microseconds; summary.duration too.
   io.write(string.format("lodestar p50_ms %.3f\n", latency:percentile(50) / 1000))
   io.write(string.format("lodestar p95_ms %.3f\n", latency:percentile(95) / 1000))
   io.write(string.format("lodestar requests %d\n", summary.requests))
   io.write(string.format("lodestar duration_s %.3f\n", summary.duration / 1e6))
   io.write(string.format("lodestar socket_errors %d\n", e.connect + e.read + e.write + e.timeout))
   io.write(string.format("lodestar wrong_status %d\n", bad_status))
   io.write(string.format("lodestar first_wrong_status %d\n", first_wrong))
   io.write(string.format("lodestar wrong_body %d\n", bad_body))
end
