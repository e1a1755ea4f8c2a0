"""Benchmark: autoscaling on the local runtime.

1. A busybox app whose instances burn a CPU while /tmp/load exists (policy: 1..3 instances, CPU 50 % of
   a guaranteed 0.2 CPU, scale-down stabilization 20 s, cool-down 5 s; metrics collected and policies
   evaluated every second, rates over 4 s). The load is switched on inside instance 0 (runc exec):
   time until 3 instances are ready, the highest count seen (overshoot = that - 3); switched off: time
   until back at 1, against the configured 20 s window.
2. N more apps (0 instances, a schedule-only policy) and the controller's own pass times, from its
   DEBUG line "autoscale pass: <apps> app(s) in <ms> ms", median and max over ten passes.

Run through bench/autoscale.sh. Talks only to 127.0.0.1 and to the containers it creates. Every loop
is bounded in count and in time.
"""
import os, re, statistics, subprocess, sys, time
from benchlib import Bench, wait_until

BRIDGE, SUBNET, CGROUP = "berthas", "10.204.12.0/22", "berth-bench-as"
WINDOW_DOWN = 20


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    with Bench(BRIDGE, SUBNET, CGROUP) as b:
        image = b.registry()
        api = b.start_berth("--berth.metrics.interval=1s", "--berth.autoscale.interval=1s",
                            "--berth.autoscale.metric-window=4s",
                            "--logging.level.dev.berth.server.autoscale.AutoscaleController=DEBUG")
        spec = {"name": "burn", "image": image, "instances": 1, "resources": {"cpu": 0.2},
                "command": ["sh", "-c", "while true; do if [ -f /tmp/load ]; then :; else sleep 1; fi; done"]}
        code, body = api.call("POST", "/api/v1/apps", spec)
        assert code == 201, body
        app = lambda: api.call("GET", "/api/v1/apps/burn")[1]
        wait_until(lambda: app()["status"]["ready"] == 1, 120, 0.2, "burn ready")
        code, body = api.call("PUT", "/api/v1/apps/burn/autoscaling", {
            "min": 1, "max": 3, "metrics": [{"type": "cpu", "targetPercent": 50}],
            "scaleDown": {"stabilizationSeconds": WINDOW_DOWN}, "cooldownSeconds": 5})
        assert code == 200, body

        root = os.path.join(b.data, "local", "runc")
        ids = subprocess.run(["runc", "--root", root, "list", "-q"], capture_output=True, text=True).stdout.split()
        cid = next(i for i in ids if "burn-0" in i)

        def load(on):
            subprocess.run(["runc", "--root", root, "exec", cid, "sh", "-c",
                            "touch /tmp/load" if on else "rm -f /tmp/load"], check=True)

        peak = [1]

        def at(count, ready):
            a = app()
            peak[0] = max(peak[0], a["instances"])
            return a["instances"] == count and (not ready or a["status"]["ready"] == count)

        t0 = time.monotonic()
        load(True)
        wait_until(lambda: at(3, True), 180, 0.1, "3 ready")
        up = time.monotonic() - t0
        for _ in range(50):  # watch 10 s more under load for an overshoot
            at(3, True)
            time.sleep(0.2)
        t0 = time.monotonic()
        load(False)
        wait_until(lambda: at(1, False), 300, 0.1, "back to 1")
        down = time.monotonic() - t0

        print(f"load on  -> 3 instances ready: {up:.1f} s (scale-up window 0 s, one evaluation a second)")
        print(f"overshoot: highest count {peak[0]} for a max of 3 (+{peak[0] - 3})")
        print(f"load off -> back to 1: {down:.1f} s against a {WINDOW_DOWN} s scale-down window "
              f"(ratio {down / WINDOW_DOWN:.2f})")

        for i in range(n):
            name = f"idle-{i}"
            code, body = api.call("POST", "/api/v1/apps", {"name": name, "image": image, "instances": 0,
                                                            "command": ["sleep", "1"]})
            assert code == 201, body
            code, body = api.call("PUT", f"/api/v1/apps/{name}/autoscaling", {
                "min": 0, "max": 2, "dryRun": True,
                "schedules": [{"start": "0 8 * * 1-5", "end": "0 20 * * 1-5", "timezone": "Europe/Berlin", "floor": 1}]})
            assert code == 200, body
        log = os.path.join(b.work, "berth.log")
        pattern = re.compile(r"autoscale pass: (\d+) app\(s\) in (\d+) ms")

        def passes():
            with open(log) as f:
                return [int(m.group(2)) for m in (pattern.search(l) for l in f) if m and int(m.group(1)) > n]
        wait_until(lambda: len(passes()) >= 10, 600, 0.5, "ten passes")
        ms = passes()[:10]
        print(f"one evaluation pass over {n + 1} apps: median {statistics.median(ms)} ms, max {max(ms)} ms "
              f"({statistics.median(ms) / (n + 1):.2f} ms per app; every decision stored)")


if __name__ == "__main__":
    main()
