-- Berth's gateway module: the balancer reads each upstream's endpoints from a shared dictionary that
-- Berth fills through the control socket, so endpoint changes never need a reload; the log phase
-- counts requests and latencies per app and instance for Berth to read.
local M = {}
local balancer = require "ngx.balancer"
local endpoints = ngx.shared.berth_endpoints
local metrics = ngx.shared.berth_metrics
local BUCKETS = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10}
local cache = {}
local next_peer = {}

function M.init_worker()
  math.randomseed(ngx.now() * 1000 + ngx.worker.pid())
end

-- "web-0 10.0.0.2:8080,web-1 10.0.0.3:8080" into {{"web-0", "10.0.0.2", 8080}, ...}, cached per value.
local function peers(key)
  local raw = endpoints:get(key)
  if raw == nil then
    return nil
  end
  local c = cache[key]
  if c and c.raw == raw then
    return c.peers
  end
  local list = {}
  for inst, host, port in raw:gmatch("([^%s,]+) ([^:%s,]+):(%d+)") do
    list[#list + 1] = {inst, host, tonumber(port)}
  end
  cache[key] = {raw = raw, peers = list}
  return list
end

-- In a location: names the upstream the balancer picks from. Per request (ngx.ctx), because nginx
-- variables are shared with a mirror's subrequest.
function M.route(upstream)
  ngx.ctx.berth_upstream = upstream
end

-- Round robin over the ready endpoints; a retry (connection refused, timeout) goes to another one.
function M.balance()
  local key = ngx.ctx.berth_upstream
  local list = peers(key)
  if not list or #list == 0 then
    ngx.log(ngx.WARN, "berth: no ready endpoint for ", key)
    return ngx.exit(503)
  end
  local ctx = ngx.ctx
  local tried = ctx.berth_tried
  if not tried then
    tried = {}
    ctx.berth_tried = tried
    if #list > 1 then
      balancer.set_more_tries(math.min(#list - 1, 3))
    end
  end
  local i = next_peer[key] or 0
  local p
  for _ = 1, #list do
    i = i % #list + 1
    p = list[i]
    if not tried[p[1]] then
      break
    end
  end
  next_peer[key] = i
  tried[p[1]] = true
  ctx.berth_instance = p[1]
  local ok, err = balancer.set_current_peer(p[2], p[3])
  if not ok then
    ngx.log(ngx.ERR, "berth: cannot use ", p[2], ":", p[3], ": ", err)
  end
end

-- Counts the request under its app and the instance that answered it last.
function M.log(app)
  local inst = ngx.ctx.berth_instance or "-"
  local k = app .. "\t" .. inst
  metrics:incr("r\t" .. k .. "\t" .. ngx.status, 1, 0)
  local t = tonumber(ngx.var.request_time) or 0
  metrics:incr("s\t" .. k, t, 0)
  for i = 1, #BUCKETS do
    if t <= BUCKETS[i] then
      metrics:incr("b\t" .. k .. "\t" .. BUCKETS[i], 1, 0)
    end
  end
  metrics:incr("b\t" .. k .. "\t+Inf", 1, 0)
end

-- In a mirror location: lets a sample of requests through, only those with a body within the cap.
function M.sample(app, percent, max_body, upstream)
  ngx.ctx.berth_upstream = upstream
  local length = tonumber(ngx.var.http_content_length) or 0
  if length > max_body or math.random() * 100 >= percent then
    return ngx.exit(204)
  end
  metrics:incr("m\t" .. app, 1, 0)
end

-- Control: lines "key=value" replace an upstream's endpoints; "key=" removes them.
function M.put_endpoints()
  ngx.req.read_body()
  local body = ngx.req.get_body_data() or ""
  local n = 0
  for key, value in body:gmatch("([^=\n]+)=([^\n]*)") do
    if value == "" then
      endpoints:delete(key)
    else
      local ok, err = endpoints:safe_set(key, value)
      if not ok then
        ngx.status = 507
        ngx.say("cannot store ", key, ": ", err)
        return
      end
    end
    n = n + 1
  end
  ngx.say(n)
end

-- Control: every endpoint value, "key=value" per line, and the worker's pid first.
function M.get_endpoints()
  ngx.say("pid=", ngx.worker.pid())
  for _, key in ipairs(endpoints:get_keys(0)) do
    ngx.say(key, "=", endpoints:get(key) or "")
  end
end

-- Control: every counter, "key<TAB>value" per line.
function M.get_metrics()
  for _, key in ipairs(metrics:get_keys(0)) do
    ngx.say(key, "\t", metrics:get(key) or 0)
  end
end

return M
