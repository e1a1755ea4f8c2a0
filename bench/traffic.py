"""Benchmark: requests through Berth's gateway during a release and an offline/online, against the same
release behind a plain nginx reloaded per endpoint change. Run through bench/traffic.sh. Talks only to
127.0.0.1 and its containers; stops every process it starts.
"""
import concurrent.futures, http.client, os, re, signal, subprocess, sys, threading, time
from benchlib import Bench, free_port, pct, wait_until

APP = "shop"


def load(port, host, rate, seconds):
    """Sends `rate` GETs per second for `seconds` (bounded in count and time); returns (latencies, failures)."""
    lat, failed = [], []
    lock = threading.Lock()

    def one():
        t0 = time.monotonic()
        try:
            c = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            c.request("GET", "/", headers={"Host": host})
            r = c.getresponse(); r.read(); c.close()
            ok = r.status == 200
            why = str(r.status)
        except Exception as e:
            ok, why = False, type(e).__name__
        with lock:
            (lat if ok else failed).append(time.monotonic() - t0 if ok else why)

    start = time.monotonic()
    with concurrent.futures.ThreadPoolExecutor(64) as pool:
        for i in range(int(rate * seconds)):
            delay = start + i / rate - time.monotonic()
            if delay > 0:
                time.sleep(delay)
            pool.submit(one)
    return lat, failed


def release(api, n):
    code, app = api.call("GET", f"/api/v1/apps/{APP}")
    app["env"] = {"RELEASE": str(n)}
    code, res = api.call("PUT", f"/api/v1/apps/{APP}", app)
    assert code == 200, res
    wait_until(lambda: (lambda s: s["phase"] == "Running" and s["ready"] == 6 and s["revision"] == app["revision"] + 1)(
        api.call("GET", f"/api/v1/apps/{APP}")[1]["status"]), 300, 0.2, "the release")


def instance_requests(api, instance):
    text = api.call("GET", "/actuator/prometheus")[1]
    text = text.decode() if isinstance(text, bytes) else text
    return sum(float(m) for m in re.findall(
        r'berth_gateway_requests_total\{app="%s",code="\d+",instance="%s"\} (\S+)' % (APP, instance), text))


class PlainNginx:
    """The peer: nginx with an upstream block of the ready endpoints, rewritten and reloaded per change."""

    def __init__(self, work, port):
        self.dir, self.port, self.reloads, self.last = os.path.join(work, "plain"), port, 0, None
        os.makedirs(os.path.join(self.dir, "tmp"), exist_ok=True)

    def write(self, servers):
        ups = "".join(f"    server {s};\n" for s in servers) or "    server 127.0.0.1:9;\n"
        with open(os.path.join(self.dir, "nginx.conf"), "w") as f:
            f.write(f"pid {self.dir}/nginx.pid;\nerror_log {self.dir}/error.log;\nevents {{}}\nhttp {{\n"
                    f"  access_log off;\n  client_body_temp_path {self.dir}/tmp;\n  proxy_temp_path {self.dir}/tmp;\n"
                    f"  upstream app {{\n{ups}  }}\n"
                    f"  server {{ listen 127.0.0.1:{self.port}; location / {{ proxy_pass http://app; "
                    f"proxy_next_upstream error timeout; }} }}\n}}\n")

    def follow(self, api, stop):
        while not stop.is_set():
            eps = api.call("GET", f"/api/v1/apps/{APP}/endpoints")[1]["items"]
            servers = sorted(f"{e['ip']}:{e['ports']['http']}" for e in eps)
            if servers != self.last:
                self.write(servers)
                if self.last is None:
                    subprocess.run(["nginx", "-p", self.dir, "-c", "nginx.conf"], check=True)
                else:
                    subprocess.run(["nginx", "-p", self.dir, "-c", "nginx.conf", "-s", "reload"], check=True)
                    self.reloads += 1
                self.last = servers
            time.sleep(0.1)

    def stop(self):
        pidfile = os.path.join(self.dir, "nginx.pid")
        if os.path.exists(pidfile):
            os.kill(int(open(pidfile).read()), signal.SIGQUIT)


def main():
    rate = int(sys.argv[1]) if len(sys.argv) > 1 else 200
    seconds = int(sys.argv[2]) if len(sys.argv) > 2 else 60
    gw = free_port()
    with Bench("berthbtraf", "10.207.0.0/22", "berth-btraf") as b:
        image = b.registry()
        api = b.start_berth("--berth.gateway.enabled=true", f"--berth.gateway.http-port={gw}",
                            "--berth.gateway.listen-address=127.0.0.1", "--berth.traffic.dns.enabled=false")
        spec = {"name": APP, "image": image, "command": ["httpd", "-f", "-p", "8080", "-h", "/www"],
                "ports": [{"name": "http", "port": 8080}], "resources": {"cpu": 0.1, "memoryMiB": 16}, "instances": 6,
                "health": {"readiness": {"type": "http", "port": 8080, "path": "/", "periodSeconds": 1}},
                "routes": [{"host": "shop.bench", "path": "/", "port": "http"}]}
        code, res = api.call("POST", "/api/v1/apps", spec)
        assert code == 201, res
        wait_until(lambda: api.call("GET", f"/api/v1/apps/{APP}")[1]["status"]["ready"] == 6, 300, 0.2, "6 ready")
        wait_until(lambda: load(gw, "shop.bench", 10, 1)[1] == [], 30, 0.2, "the gateway to serve")
        master = int(open(os.path.join(b.data, "gateway", "nginx.pid")).read())
        try:
            # 1. The same loop with no changes.
            base, base_failed = load(gw, "shop.bench", rate, seconds)

            # 2. Through Berth's gateway: a release, and shop-1 offline then online.
            reloads0 = api.call("GET", "/api/v1/gateway")[1]["reloads"]
            offline = {}

            def changes():
                time.sleep(2)
                before = instance_requests(api, f"{APP}-1")
                offline["at"] = time.monotonic()
                api.call("POST", f"/api/v1/apps/{APP}/instances/{APP}-1/offline")
                last = offline["at"]
                for _ in range(100):  # 5 s of 50 ms looks at the instance's counter
                    now = instance_requests(api, f"{APP}-1")
                    if now > before:
                        before, last = now, time.monotonic()
                    time.sleep(0.05)
                offline["last"] = last - offline["at"]
                api.call("POST", f"/api/v1/apps/{APP}/instances/{APP}-1/online")
                release(api, 2)

            t = threading.Thread(target=changes); t.start()
            gw_lat, gw_failed = load(gw, "shop.bench", rate, seconds)
            t.join()
            reloads = api.call("GET", "/api/v1/gateway")[1]["reloads"] - reloads0

            # 3. Peer: a plain nginx, upstream rewritten and reloaded on every endpoint change.
            plain = PlainNginx(b.work, free_port())
            stop = threading.Event()
            follower = threading.Thread(target=plain.follow, args=(api, stop)); follower.start()
            wait_until(lambda: plain.last is not None, 30, 0.1, "the plain nginx")
            time.sleep(1)
            r = threading.Thread(target=release, args=(api, 3)); r.start()
            peer_lat, peer_failed = load(plain.port, "shop.bench", rate, seconds)
            r.join(); stop.set(); follower.join(); plain.stop()
        finally:
            os.kill(master, signal.SIGQUIT)

        p99 = lambda v: pct(v, 99) * 1000 if v else float("nan")
        print(f"load: {rate} requests/s for {seconds} s on loopback, app of 6 instances")
        print(f"no changes:            {len(base)} ok, {len(base_failed)} failed, p99 {p99(base):.1f} ms")
        print(f"Berth gateway release: {len(gw_lat)} ok, {len(gw_failed)} failed {sorted(set(gw_failed))[:5]}, "
              f"p99 {p99(gw_lat):.1f} ms (x{p99(gw_lat) / p99(base):.2f} of no changes), nginx reloads {reloads}")
        print(f"offline -> last request reaching {APP}-1: {offline.get('last', float('nan')) * 1000:.0f} ms "
              f"(counter read every 50 ms)")
        print(f"plain nginx, reload per endpoint change: {len(peer_lat)} ok, {len(peer_failed)} failed "
              f"{sorted(set(peer_failed))[:5]}, p99 {p99(peer_lat):.1f} ms (x{p99(peer_lat) / p99(base):.2f}), "
              f"reloads {plain.reloads}")


if __name__ == "__main__":
    main()
