"""Benchmark: task dispatch latency and throughput against plain `runc run`; listing the newest 50
of 1 000 000 runs. Run through bench/task-dispatch.sh. Talks only to 127.0.0.1 and its containers.
"""
import datetime, glob, json, os, statistics, subprocess, sys, tempfile, time, zipfile
from benchlib import Bench, ROOT, pct, raw_bundle, wait_until


def ts(s):
    return datetime.datetime.fromisoformat(s.replace("Z", "+00:00")).timestamp()


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 40
    runs_in_db = int(sys.argv[2]) if len(sys.argv) > 2 else 1_000_000
    with Bench("berthbtask", "10.206.0.0/22", "berth-btask") as b:
        image = b.registry()
        api = b.start_berth()

        def task(name, extra=None):
            body = {"name": name, "image": image, "command": ["true"], "resources": {"cpu": 0.05, "memoryMiB": 16}}
            body.update(extra or {})
            code, res = api.call("POST", "/api/v1/tasks", body)
            assert code in (201, 202), res
            return res

        def final(run_id):
            code, r = api.call("GET", f"/api/v1/runs/{run_id}")
            return r if code == 200 and r["state"] in ("succeeded", "failed", "timed_out", "cancelled") else None

        task("warmup", {"mode": "sync"})

        # Dispatch latency of run-now: API receipt (createdAt) -> container process started (startedAt).
        task("disp", {"mode": "async"})
        now_lat = []
        for _ in range(n):
            code, run = api.call("POST", "/api/v1/tasks/disp/runs")
            assert code == 202, run
            r = wait_until(lambda: final(run["id"]), 60, 0.01, "run end")
            now_lat.append(ts(r["startedAt"]) - ts(r["createdAt"]))

        # Dispatch latency of cron: fire time (scheduledAt) -> container process started (startedAt).
        task("tick", {"trigger": {"type": "cron", "cron": "* * * * * *"}, "concurrency": "allow"})
        wait_until(lambda: api.call("GET", "/api/v1/tasks/tick/runs?size=100")[1]["total"] >= n // 2 + 2, 120, 0.5, "cron runs")
        api.call("DELETE", "/api/v1/tasks/tick")
        items = api.call("GET", "/api/v1/tasks/tick/runs?size=100")[1]["items"]
        cron_lat = [ts(r["startedAt"]) - ts(r["scheduledAt"]) for r in items[1:] if r.get("startedAt")]

        # Peer: plain `runc run` of the same image, create -> started.
        bundle, rroot = raw_bundle(b, ["true"])
        raw = []
        t_loop = time.monotonic()
        for i in range(n):
            t0 = time.monotonic()
            subprocess.run(["runc", "--root", rroot, "run", "--bundle", bundle, f"raw{i}"], check=True,
                           stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            raw.append(time.monotonic() - t0)
        raw_rate = n / (time.monotonic() - t_loop)

        # Throughput: n trivial runs fired back to back, until all have ended.
        task("thru", {"mode": "async"})
        t0 = time.monotonic()
        ids = []
        for _ in range(n):
            code, run = api.call("POST", "/api/v1/tasks/thru/runs")
            assert code == 202, run
            ids.append(run["id"])
        for i in ids:
            wait_until(lambda: final(i), 120, 0.02, "run end")
        berth_rate = n / (time.monotonic() - t0)

        # Listing: the newest 50 of a million runs.
        b.stop_berth()
        jar = os.path.join(ROOT, "berth-server", "target", "berth-server.jar")
        with zipfile.ZipFile(jar) as z:
            h2 = [x for x in z.namelist() if os.path.basename(x).startswith("h2-")][0]
            h2jar = os.path.join(b.work, os.path.basename(h2))
            with open(h2jar, "wb") as f:
                f.write(z.read(h2))
        t0 = time.monotonic()
        subprocess.run([os.path.join(os.environ["JAVA_HOME"], "bin", "java"), "-cp", h2jar, os.path.join(ROOT, "bench", "PortalBenchData.java"),
                        f"jdbc:h2:file:{b.data}/db/berth", "0", str(runs_in_db)], check=True)
        insert_s = time.monotonic() - t0
        api = b.start_berth()
        lists = {}
        for label, path in (("newest 50", "/api/v1/runs?size=50"), ("newest 50 of a task, failed only", "/api/v1/runs?size=50&task=bulk&state=failed")):
            lat = []
            for _ in range(200):
                t0 = time.monotonic()
                code, res = api.call("GET", path)
                lat.append(time.monotonic() - t0)
                assert code == 200 and len(res["items"]) == 50, (code, str(res)[:200])
            lists[label] = lat

        raw_med = statistics.median(raw)
        print()
        print(f"task dispatch, {n} runs each")
        print(f"  run now  (API receipt -> process started): p50 {statistics.median(now_lat)*1000:6.1f} ms  p99 {pct(now_lat, 99)*1000:6.1f} ms")
        print(f"  cron     (fire time -> process started):   p50 {statistics.median(cron_lat)*1000:6.1f} ms  p99 {pct(cron_lat, 99)*1000:6.1f} ms  ({len(cron_lat)} fires)")
        print(f"  runc run (exec -> exit of `true`, the peer): p50 {raw_med*1000:6.1f} ms")
        print(f"  cron against run now: p50 {(statistics.median(cron_lat) - statistics.median(now_lat))*1000:+6.1f} ms, "
              f"p99 {(pct(cron_lat, 99) - pct(now_lat, 99))*1000:+6.1f} ms   (target: cron p99 within 50 ms of run now's)")
        print(f"  p99 dispatch overhead over runc: now {(pct(now_lat, 99) - raw_med)*1000:6.1f} ms, cron {(pct(cron_lat, 99) - raw_med)*1000:6.1f} ms   (target < 250 ms)")
        print(f"throughput of trivial runs: berth {berth_rate:5.1f}/s, plain runc loop {raw_rate:5.1f}/s, ratio {berth_rate/raw_rate*100:4.0f}%   (target >= 70%)")
        print(f"listing with {runs_in_db} runs in the database (inserted in {insert_s:.0f} s), 200 requests each, HTTP round trip:")
        for label, lat in lists.items():
            print(f"  {label:34s} p50 {statistics.median(lat)*1000:6.1f} ms  p99 {pct(lat, 99)*1000:6.1f} ms   (target p99 < 50 ms)")


if __name__ == "__main__":
    main()
