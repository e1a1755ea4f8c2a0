"""Benchmark: container start through Berth vs plain runc; 100 instances to ready; Berth's RSS.

Run through bench/container-start.sh. Talks only to 127.0.0.1 and to the containers it creates.
"""
import json, os, shutil, signal, socket, statistics, subprocess, sys, tempfile, time, urllib.request, urllib.error, glob

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TOKEN = "berth_bench_token_0123456789abcdefghij"
BRIDGE, SUBNET, CGROUP = "berthbench", "10.204.0.0/22", "berth-bench"


def free_port():
    s = socket.socket(); s.bind(("127.0.0.1", 0)); p = s.getsockname()[1]; s.close(); return p


def wait_until(pred, timeout, interval=0.05, what="condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            v = pred()
            if v:
                return v
        except Exception:
            pass
        time.sleep(interval)
    raise TimeoutError(f"timed out after {timeout}s waiting for {what}")


class Api:
    def __init__(self, port):
        self.base = f"http://127.0.0.1:{port}"

    def call(self, method, path, body=None):
        data = json.dumps(body).encode() if body is not None else None
        req = urllib.request.Request(self.base + path, data=data, method=method,
                                     headers={"Authorization": "Bearer " + TOKEN, "Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(req, timeout=30) as r:
                raw = r.read()
                return r.status, (json.loads(raw) if raw else None)
        except urllib.error.HTTPError as e:
            return e.code, e.read().decode()


def pct(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 15
    work = tempfile.mkdtemp(prefix="berth-bench-")
    procs = []
    data = os.path.join(work, "data")
    try:
        # A registry with the demo image.
        rport = free_port()
        cfg = os.path.join(work, "registry.yml")
        with open(cfg, "w") as f:
            f.write(f"version: 0.1\nstorage:\n  filesystem:\n    rootdirectory: {work}/registry\nhttp:\n  addr: 127.0.0.1:{rport}\n")
        reg = subprocess.Popen(["docker-registry", "serve", cfg], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        procs.append(reg)
        wait_until(lambda: urllib.request.urlopen(f"http://127.0.0.1:{rport}/v2/", timeout=1).status == 200, 20, what="registry")
        image = f"127.0.0.1:{rport}/bench/busybox:1"
        subprocess.run([os.path.join(ROOT, "scripts/push-demo-image"), image, "bench"], check=True, stdout=subprocess.DEVNULL)

        # Berth, started the README's way.
        port = free_port()
        log = open(os.path.join(work, "berth.log"), "w")
        berth = subprocess.Popen([os.path.join(ROOT, "start.sh"), f"--server.port={port}", f"--berth.admin-token={TOKEN}",
                                  f"--berth.local.bridge={BRIDGE}", f"--berth.local.subnet={SUBNET}",
                                  f"--berth.local.cgroup-parent={CGROUP}"],
                                 env={**os.environ, "BERTH_DATA_DIR": data}, stdout=log, stderr=subprocess.STDOUT)
        procs.append(berth)
        api = Api(port)
        wait_until(lambda: api.call("GET", "/api/v1/clusters")[0] == 200, 120, 0.2, "Berth to start")

        def running(app):
            code, inst = api.call("GET", f"/api/v1/apps/{app}/instances")
            return code == 200 and len(inst) == 1 and inst[0]["state"] == "running" and inst[0]["ready"]

        def delete(app):
            api.call("DELETE", f"/api/v1/apps/{app}")
            wait_until(lambda: api.call("GET", f"/api/v1/apps/{app}")[0] == 404, 60, 0.05, f"{app} deleted")

        def one(app):
            spec = {"name": app, "image": image, "command": ["sleep", "3600"], "instances": 1,
                    "resources": {"cpu": 0.1, "memoryMiB": 32}}
            t0 = time.monotonic()
            code, body = api.call("POST", "/api/v1/apps", spec)
            assert code == 201, body
            wait_until(lambda: running(app), 60, 0.002, f"{app} running")
            return time.monotonic() - t0

        one("warmup"); delete("warmup")
        berth_times = []
        for i in range(n):
            berth_times.append(one(f"start{i}"))
            delete(f"start{i}")

        # Plain runc: the same unpacked image as the bundle's root, `runc run -d` until it runs.
        rootfs = glob.glob(os.path.join(data, "oci", "images", "*", "rootfs"))[0]
        bundle = os.path.join(work, "bundle")
        os.makedirs(bundle)
        subprocess.run(["runc", "spec"], cwd=bundle, check=True)
        with open(os.path.join(bundle, "config.json")) as f:
            spec = json.load(f)
        spec["root"] = {"path": rootfs, "readonly": True}
        spec["process"]["terminal"] = False
        spec["process"]["args"] = ["sleep", "3600"]
        with open(os.path.join(bundle, "config.json"), "w") as f:
            json.dump(spec, f)
        rroot = os.path.join(work, "runc")
        runc_times = []
        for i in range(n + 1):
            cid = f"raw{i}"
            t0 = time.monotonic()
            subprocess.run(["runc", "--root", rroot, "run", "-d", "--bundle", bundle, cid], check=True,
                           stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            st = json.loads(subprocess.run(["runc", "--root", rroot, "state", cid], capture_output=True, check=True).stdout)
            assert st["status"] == "running", st
            dt = time.monotonic() - t0
            if i > 0:
                runc_times.append(dt)
            subprocess.run(["runc", "--root", rroot, "kill", cid, "KILL"], stderr=subprocess.DEVNULL)
            wait_until(lambda: json.loads(subprocess.run(["runc", "--root", rroot, "state", cid], capture_output=True).stdout or b"{}").get("status") != "running", 10, 0.01)
            subprocess.run(["runc", "--root", rroot, "delete", "--force", cid], stderr=subprocess.DEVNULL)

        # 100 busybox httpd instances to ready.
        spec = {"name": "hundred", "image": image, "command": ["httpd", "-f", "-p", "8080", "-h", "/www"], "instances": 100,
                "resources": {"cpu": 0.01, "memoryMiB": 16},
                "health": {"readiness": {"type": "http", "port": 8080, "path": "/", "periodSeconds": 1}}}
        t0 = time.monotonic()
        code, body = api.call("POST", "/api/v1/apps", spec)
        assert code == 201, body
        try:
            wait_until(lambda: api.call("GET", "/api/v1/apps/hundred")[1]["status"]["ready"] == 100, 180, 0.25, "100 ready")
            hundred = time.monotonic() - t0
        except TimeoutError:
            hundred = None
        ready_now = api.call("GET", "/api/v1/apps/hundred")[1]["status"]["ready"]
        time.sleep(5)  # let the probes settle into their steady state before reading memory
        java = [p for p in subprocess.run(["pgrep", "-P", str(berth.pid)], capture_output=True, text=True).stdout.split()] or [str(berth.pid)]
        rss_kib = 0
        for pid in [str(berth.pid)] + java:
            try:
                with open(f"/proc/{pid}/status") as f:
                    for line in f:
                        if line.startswith("VmRSS:"):
                            rss_kib = max(rss_kib, int(line.split()[1]))
            except FileNotFoundError:
                pass
        delete("hundred")

        bm, rm = statistics.median(berth_times), statistics.median(runc_times)
        print()
        print("container start, %d runs each (seconds)" % n)
        print(f"  berth  (POST /apps -> instance running+ready): median {bm*1000:7.1f} ms  p90 {pct(berth_times, 90)*1000:7.1f} ms")
        print(f"  runc   (runc run -d, same image, no overlay/net): median {rm*1000:7.1f} ms  p90 {pct(runc_times, 90)*1000:7.1f} ms")
        print(f"  ratio berth/runc (median): {bm/rm:.2f}x   (target <= 1.5x)")
        if hundred is None:
            print(f"100 httpd instances: NOT all ready within 180 s ({ready_now} ready)   (target <= 60 s)")
        else:
            print(f"100 httpd instances ready in {hundred:.1f} s   (target <= 60 s)")
        print(f"Berth resident memory with 100 instances: {rss_kib/1024:.0f} MiB   (target < 512 MiB)")
    finally:
        for p in reversed(procs):
            if p.poll() is None:
                p.send_signal(signal.SIGTERM)
                try:
                    p.wait(30)
                except subprocess.TimeoutExpired:
                    p.kill(); p.wait()
        cleanup(data, work)


def cleanup(data, work):
    root = os.path.join(data, "local", "runc")
    if os.path.isdir(root):
        for cid in subprocess.run(["runc", "--root", root, "list", "-q"], capture_output=True, text=True).stdout.split():
            subprocess.run(["runc", "--root", root, "kill", cid, "KILL"], stderr=subprocess.DEVNULL)
            subprocess.run(["runc", "--root", root, "delete", "--force", cid], stderr=subprocess.DEVNULL)
    with open("/proc/mounts") as f:
        mounts = [l.split()[1] for l in f if l.split()[1].startswith(work)]
    for m in sorted(mounts, reverse=True):
        subprocess.run(["umount", "-l", m], stderr=subprocess.DEVNULL)
    for ns in subprocess.run(["ip", "netns", "list"], capture_output=True, text=True).stdout.split("\n"):
        name = ns.split(" ")[0]
        if name.startswith(f"berth-{BRIDGE}-"):
            subprocess.run(["ip", "netns", "del", name], stderr=subprocess.DEVNULL)
    subprocess.run(["ip", "link", "del", BRIDGE], stderr=subprocess.DEVNULL)
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
