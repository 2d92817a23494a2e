-- wrk script for bench/wecom_ack.py: every request is a distinct, pre-encrypted WeCom callback.
--
--   wrk -t2 -c50 -d10s --timeout 30s -s bench/wecom_ack.lua http://127.0.0.1:PORT -- BODIES THREADS
--
-- BODIES has one request per line: "<path with query>\t<xml body>". Thread t of THREADS sends the
-- lines t, t+THREADS, ... in order (no two threads send the same message); a thread that runs out
-- starts again (counted as "wrapped": those repeats are duplicates, and the benchmark says so).
-- Each request carries X-Request-Id "m<line>"; `inspector-bot serve` echoes it, so the acked lines
-- are known one by one. The summary goes to the file named by $WRK_OUT (JSON, then acked ids).

local next_tid = 0
local threads = {}

function setup(thread)
   thread:set("tid", next_tid)
   next_tid = next_tid + 1
   table.insert(threads, thread)
end

function init(args)
   local file, nthreads = args[1], tonumber(args[2])
   reqs = {}
   local line_no = 0
   for line in io.lines(file) do
      if line_no % nthreads == tid then
         local path, body = line:match("^([^\t]*)\t(.*)$")
         reqs[#reqs + 1] = wrk.format("POST", path,
            {["Content-Type"] = "text/xml", ["X-Request-Id"] = "m" .. line_no}, body)
      end
      line_no = line_no + 1
   end
   n, sent, wrapped = 0, 0, 0
   acked, statuses = {}, {}
end

function request()
   n = n + 1
   if n > #reqs then
      n, wrapped = 1, wrapped + 1
   end
   sent = sent + 1
   return reqs[n]
end

function response(status, headers, body)
   statuses[status] = (statuses[status] or 0) + 1
   if status == 200 then
      local rid = headers["x-request-id"] or headers["X-Request-Id"]
      if rid then
         acked[#acked + 1] = rid
      end
   end
end

function done(summary, latency, requests)
   local out = assert(io.open(os.getenv("WRK_OUT"), "w"))
   local sent_total, wrapped_total, by_status, ids = 0, 0, {}, {}
   for _, thread in ipairs(threads) do
      sent_total = sent_total + thread:get("sent")
      wrapped_total = wrapped_total + thread:get("wrapped")
      for status, count in pairs(thread:get("statuses")) do
         by_status[status] = (by_status[status] or 0) + count
      end
      for _, rid in ipairs(thread:get("acked")) do
         ids[#ids + 1] = rid
      end
   end
   local parts = {}
   for status, count in pairs(by_status) do
      parts[#parts + 1] = string.format('"%d": %d', status, count)
   end
   local e = summary.errors
   out:write(string.format(
      '{"requests": %d, "duration_us": %d, "sent": %d, "wrapped": %d, "statuses": {%s}, ' ..
      '"errors": {"connect": %d, "read": %d, "write": %d, "status": %d, "timeout": %d}, ' ..
      '"p50_us": %d, "p90_us": %d, "p99_us": %d, "max_us": %d, "mean_us": %.1f}\n',
      summary.requests, summary.duration, sent_total, wrapped_total, table.concat(parts, ", "),
      e.connect, e.read, e.write, e.status, e.timeout,
      latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max, latency.mean))
   for _, rid in ipairs(ids) do
      out:write(rid, "\n")
   end
   out:close()
end
