-- Berth's gateway module: the balancer reads each upstream's endpoints from a shared dictionary that
-- Berth fills through the control socket, so endpoint changes never need a reload; the log phase
-- counts requests and latencies per app and instance for Berth to read.
local M = {}
local balancer = require "ngx.balancer"
local endpoints = ngx.shared.berth_endpoints
local metrics = ngx.shared.berth_metrics
local BUCKETS = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10}
local cache = {}

-- "web-0 10.0.0.2:8080 3,web-1 10.0.0.3:8080 1" into the peers the balancer may pick, cached per
-- value with their current weights: {{"web-0", "10.0.0.2", 8080, 3}, ...}. A missing weight is 100.
-- Weight 0 gets nothing while another endpoint weighs more; when all weigh 0 they share alike.
local function peers(key)
  local raw = endpoints:get(key)
  if raw == nil then
    return nil
  end
  local c = cache[key]
  if c and c.raw == raw then
    return c
  end
  local list = {}
  local weighted = false
  for inst, host, port, weight in raw:gmatch("([^%s,]+) ([^:%s,]+):(%d+) ?(%d*)") do
    local w = tonumber(weight) or 100
    weighted = weighted or w > 0
    list[#list + 1] = {inst, host, tonumber(port), w}
  end
  local usable = {}
  for _, p in ipairs(list) do
    if p[4] > 0 then
      usable[#usable + 1] = p
    elseif not weighted then
      usable[#usable + 1] = {p[1], p[2], p[3], 1}
    end
  end
  c = {raw = raw, peers = usable, current = {}}
  cache[key] = c
  return c
end

-- Smooth weighted round robin, as nginx's own upstreams: each untried peer's current weight grows
-- by its weight, the largest wins and gives back the total. Deterministic: weights 3 and 1 give
-- a, a, b, a over and over.
local function pick(c, tried)
  local current = c.current
  local total = 0
  local best
  for _, p in ipairs(c.peers) do
    if not tried[p[1]] then
      local w = (current[p[1]] or 0) + p[4]
      current[p[1]] = w
      total = total + p[4]
      if best == nil or w > current[best[1]] then
        best = p
      end
    end
  end
  if best == nil then
    return c.peers[1]
  end
  current[best[1]] = current[best[1]] - total
  return best
end

-- In a location: names the upstream the balancer picks from. Per request (ngx.ctx), because nginx
-- variables are shared with a mirror's subrequest.
function M.route(upstream)
  ngx.ctx.berth_upstream = upstream
end

-- Weighted round robin over the ready endpoints; a retry (connection refused, timeout) goes to
-- another one.
function M.balance()
  local key = ngx.ctx.berth_upstream
  local c = peers(key)
  local list = c and c.peers
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
  local p = pick(c, tried)
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
