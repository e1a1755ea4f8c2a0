"""Benchmark: container start through Berth against the same work done by hand and against bare runc;
where Berth's start time goes; short-task throughput against a plain runc loop; 100 instances to ready
and Berth's resident memory with them.

Run through bench/container-start.sh. Talks only to 127.0.0.1 and to the containers it creates. Every
loop is bounded in count and in time.
"""
import glob, json, os, re, statistics, subprocess, sys, time
from benchlib import Bench, ROOT, bounded, pct, raw_bundle, wait_until

BRIDGE, SUBNET, CGROUP = "berthbench", "10.204.0.0/22", "berth-bench"
GATEWAY, PREFIX = "10.204.0.1", 22
TIMING = re.compile(r"start-timing id=(\S+) began=(\d+) (.*) total=([\d.]+)")
RESOLVE = re.compile(r"resolve-timing image=\S+ ms=([\d.]+)")
PHASES = ["image", "ip", "network", "overlay", "bundle", "runc", "report"]


class Log:
    """Berth's log, read from where the last read stopped."""

    def __init__(self, path):
        self.path, self.pos = path, 0

    def skip(self):
        self.pos = os.path.getsize(self.path)

    def new(self):
        with open(self.path, errors="replace") as f:
            f.seek(self.pos)
            text = f.read()
            self.pos = f.tell()
        return text


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 15
    with Bench(BRIDGE, SUBNET, CGROUP) as b:
        image = b.registry()
        api = b.start_berth("--logging.level.dev.berth.runtime.local.StartTimer=DEBUG")
        log = Log(os.path.join(b.work, "berth.log"))

        def running(app):
            code, body = api.call("GET", f"/api/v1/apps/{app}/instances")
            inst = body["items"] if code == 200 else []
            return code == 200 and len(inst) == 1 and inst[0]["state"] == "running" and inst[0]["ready"]

        def delete(app):
            api.call("DELETE", f"/api/v1/apps/{app}?confirm={app}")
            wait_until(lambda: api.call("GET", f"/api/v1/apps/{app}")[0] == 404, 60, 0.05, f"{app} deleted")

        def berth_start(app):
            """POST -> instance running; returns (total s, breakdown in ms)."""
            spec = {"name": app, "image": image, "command": ["sleep", "3600"], "instances": 1, "resources": {"cpu": 0.1, "memoryMiB": 32}}
            log.skip()
            t0, w0 = time.monotonic(), time.time()
            code, body = api.call("POST", "/api/v1/apps", spec)
            posted, w_posted = time.monotonic(), time.time()
            assert code == 201, body
            wait_until(lambda: running(app), 60, 0.002, f"{app} running")
            total = time.monotonic() - t0
            seen = w0 + total
            time.sleep(0.05)  # let the log line land
            text = log.new()
            parts = {"api": (posted - t0) * 1000}
            r = RESOLVE.search(text)
            parts["api: image resolution"] = float(r.group(1)) if r else float("nan")
            parts["api: store, validation, rest"] = parts["api"] - (parts["api: image resolution"] if r else 0)
            m = [x for x in TIMING.finditer(text) if x.group(1) == f"{app}-0"]
            if m:
                t = m[-1]
                began = int(t.group(2)) / 1000
                parts["dispatch (POST sent -> runtime start begins; inside the API call)"] = (began - w0) * 1000
                laps = dict(kv.split("=") for kv in t.group(3).split())
                for ph in PHASES:
                    parts[ph] = float(laps.get(ph, 0))
                parts["first observation (start done -> client sees running)"] = (seen - began) * 1000 - float(t.group(4))
            return total, parts

        # The by-hand peer: Berth's own config.json of an instance, with its paths made templates.
        berth_start("warmup")
        inst = os.path.join(b.data, "local", "instances", "warmup", "warmup-0")
        with open(os.path.join(inst, "config.json")) as f:
            template = f.read().replace(inst, "@DIR@").replace("warmup-0", "@ID@")
        tpl = os.path.join(b.work, "peer-config.json")
        with open(tpl, "w") as f:
            f.write(template)
        lower = glob.glob(os.path.join(b.data, "oci", "images", "*", "rootfs"))[0]
        delete("warmup")
        peer_root = os.path.join(b.work, "peer-runc")
        script = os.path.join(ROOT, "bench", "by-hand-start.sh")

        def peer_start(i):
            cid, ip = f"peer{i}", f"10.204.3.{10 + i % 200}"
            mac = "02:42:" + ":".join("%02x" % int(x) for x in ip.split("."))
            d, veth = os.path.join(b.work, "peer", cid), f"bhp{i}"
            t0 = time.monotonic()
            subprocess.run([script, cid, ip, mac, lower, d, peer_root, tpl, BRIDGE, GATEWAY, str(PREFIX), veth], check=True)
            dt = time.monotonic() - t0
            subprocess.run([script, "--remove", cid, d, peer_root, BRIDGE, veth], check=True)
            return dt

        bundle, rroot = raw_bundle(b, ["sleep", "3600"])

        def runc_start(i):
            cid = f"raw{i}"
            t0 = time.monotonic()
            subprocess.run(["runc", "--root", rroot, "run", "-d", "--bundle", bundle, cid], check=True,
                           stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            dt = time.monotonic() - t0
            subprocess.run(["runc", "--root", rroot, "kill", cid, "KILL"], stderr=subprocess.DEVNULL)
            wait_until(lambda: json.loads(subprocess.run(["runc", "--root", rroot, "state", cid], capture_output=True).stdout or b"{}").get("status") != "running", 10, 0.01)
            subprocess.run(["runc", "--root", rroot, "delete", "--force", cid], stderr=subprocess.DEVNULL)
            return dt

        peer_start(999); runc_start(999)  # warm the peer's caches too
        # Interleaved, so that a change of load on the host hits all three alike.
        berth_times, parts, peer_times, runc_times = [], [], [], []
        for i in bounded(n, 300):
            t, p = berth_start(f"start{i}")
            berth_times.append(t); parts.append(p)
            delete(f"start{i}")
            peer_times.append(peer_start(i))
            runc_times.append(runc_start(i))

        # Short-task throughput: trivial runs fired back to back until all ended, against a loop of
        # plain `runc run` of the same image running `true`.
        code, body = api.call("POST", "/api/v1/tasks", {"name": "thru", "image": image, "command": ["true"], "mode": "async",
                                                        "resources": {"cpu": 0.05, "memoryMiB": 16}})
        assert code in (201, 202), body
        tn = max(2 * n, 20)
        t0, ids = time.monotonic(), []
        for _ in bounded(tn, 120):
            code, run = api.call("POST", "/api/v1/tasks/thru/runs")
            assert code == 202, run
            ids.append(run["id"])

        def final(run_id):
            code, r = api.call("GET", f"/api/v1/runs/{run_id}")
            return code == 200 and r["state"] in ("succeeded", "failed", "timed_out", "cancelled")
        for i in ids:
            wait_until(lambda: final(i), 120, 0.02, "run end")
        berth_rate = len(ids) / (time.monotonic() - t0)
        tbundle = os.path.join(b.work, "true-bundle")
        os.makedirs(tbundle)
        with open(os.path.join(bundle, "config.json")) as f:
            cfg = json.load(f)
        cfg["process"]["args"] = ["true"]
        with open(os.path.join(tbundle, "config.json"), "w") as f:
            json.dump(cfg, f)
        t0, done = time.monotonic(), 0
        for i in bounded(tn, 120):
            subprocess.run(["runc", "--root", rroot, "run", "--bundle", tbundle, f"true{i}"], check=True,
                           stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            subprocess.run(["runc", "--root", rroot, "delete", "--force", f"true{i}"], stderr=subprocess.DEVNULL)
            done += 1
        runc_rate = done / (time.monotonic() - t0)

        # 100 busybox httpd instances to ready.
        spec = {"name": "hundred", "image": image, "command": ["httpd", "-f", "-p", "8080", "-h", "/www"], "instances": 100,
                "resources": {"cpu": 0.01, "memoryMiB": 16},
                "health": {"readiness": {"type": "http", "port": 8080, "path": "/", "periodSeconds": 1}}}
        t0 = time.monotonic()
        code, body = api.call("POST", "/api/v1/apps", spec)
        assert code == 201, body
        try:
            wait_until(lambda: api.call("GET", "/api/v1/apps/hundred")[1]["status"]["ready"] == 100, 180, 0.05, "100 ready")
            hundred = time.monotonic() - t0
        except TimeoutError:
            hundred = None
        ready_now = api.call("GET", "/api/v1/apps/hundred")[1]["status"]["ready"]
        time.sleep(5)  # let the probes settle into their steady state before reading memory
        rss = b.rss_mib()
        delete("hundred")

        bm, pm, rm = (statistics.median(x) for x in (berth_times, peer_times, runc_times))
        print()
        print("container start, %d runs each, interleaved" % len(berth_times))
        print(f"  berth    (POST /apps -> instance running):            median {bm*1000:7.1f} ms  p90 {pct(berth_times, 90)*1000:7.1f} ms")
        print(f"  by hand  (overlay + netns/veth by ip + runc run -d):  median {pm*1000:7.1f} ms  p90 {pct(peer_times, 90)*1000:7.1f} ms")
        print(f"  bare     (runc run -d, no overlay, no network):       median {rm*1000:7.1f} ms  p90 {pct(runc_times, 90)*1000:7.1f} ms")
        print(f"  ratio berth/by-hand: {bm/pm:.2f}x   (target <= 1.5x, goal 1.2x)")
        print(f"  ratio berth/bare runc: {bm/rm:.2f}x")
        print("where a start through Berth goes (median of each part, ms; parts need not add up to the median total):")
        for key in parts[0]:
            vals = [p[key] for p in parts if key in p]
            print(f"  {key:56s} {statistics.median(vals):7.2f}")
        print(f"throughput of trivial runs ({len(ids)} each): berth {berth_rate:5.1f}/s, plain runc loop {runc_rate:5.1f}/s, ratio {berth_rate/runc_rate*100:4.0f}%   (target >= 80%)")
        if hundred is None:
            print(f"100 httpd instances: NOT all ready within 180 s ({ready_now} ready)   (target < 5 s)")
        else:
            print(f"100 httpd instances ready in {hundred:.1f} s   (target < 5 s)")
        print(f"Berth resident memory with 100 instances: {rss:.0f} MiB   (target < 512 MiB)")


if __name__ == "__main__":
    main()
