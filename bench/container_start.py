"""Benchmark: container start through Berth vs plain runc; 100 instances to ready; Berth's RSS.

Run through bench/container-start.sh. Talks only to 127.0.0.1 and to the containers it creates.
"""
import glob, json, os, statistics, subprocess, sys, time
from benchlib import Bench, pct, raw_bundle, wait_until


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 15
    with Bench("berthbench", "10.204.0.0/22", "berth-bench") as b:
        image = b.registry()
        api = b.start_berth()

        def running(app):
            code, body = api.call("GET", f"/api/v1/apps/{app}/instances")
            inst = body["items"] if code == 200 else []
            return code == 200 and len(inst) == 1 and inst[0]["state"] == "running" and inst[0]["ready"]

        def delete(app):
            api.call("DELETE", f"/api/v1/apps/{app}?confirm={app}")
            wait_until(lambda: api.call("GET", f"/api/v1/apps/{app}")[0] == 404, 60, 0.05, f"{app} deleted")

        def one(app):
            spec = {"name": app, "image": image, "command": ["sleep", "3600"], "instances": 1, "resources": {"cpu": 0.1, "memoryMiB": 32}}
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
        bundle, rroot = raw_bundle(b, ["sleep", "3600"])
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
        rss = b.rss_mib()
        delete("hundred")

        bm, rm = statistics.median(berth_times), statistics.median(runc_times)
        print()
        print("container start, %d runs each" % n)
        print(f"  berth  (POST /apps -> instance running+ready): median {bm*1000:7.1f} ms  p90 {pct(berth_times, 90)*1000:7.1f} ms")
        print(f"  runc   (runc run -d, same image, no overlay/net): median {rm*1000:7.1f} ms  p90 {pct(runc_times, 90)*1000:7.1f} ms")
        print(f"  ratio berth/runc (median): {bm/rm:.2f}x   (target <= 1.5x)")
        if hundred is None:
            print(f"100 httpd instances: NOT all ready within 180 s ({ready_now} ready)   (target <= 60 s)")
        else:
            print(f"100 httpd instances ready in {hundred:.1f} s   (target <= 60 s)")
        print(f"Berth resident memory with 100 instances: {rss:.0f} MiB   (target < 512 MiB)")


if __name__ == "__main__":
    main()
