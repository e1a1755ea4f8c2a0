"""Benchmark: a release of N local busybox httpd instances in 4 batches (no bastion, automatic
promotion, a whole batch replaced at once) against a plain restart of the same instances, group by
group, in the same run; and the controller's overhead per batch.

Per batch: Berth's own batch time (the release's batch startedAt -> readyAt) and the wall time the
client sees; the peer is a restart of the same instances (POST .../instances/{id}/restart for the
whole group at once, until every one is ready again). Controller overhead per batch = batch time -
the same group's restart time, and the gap between one batch's readiness and the next batch's start.

Run through bench/release.sh. Talks only to 127.0.0.1 and to the containers it creates. Every loop is
bounded in count and in time.
"""
import statistics, sys, time
from datetime import datetime
from benchlib import Bench, wait_until

BRIDGE, SUBNET, CGROUP = "berthrel", "10.204.8.0/22", "berth-bench-rel"


def ts(text):
    return datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp()


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 20
    batches = 4
    size = -(-n // batches)
    with Bench(BRIDGE, SUBNET, CGROUP) as b:
        image = b.registry()
        api = b.start_berth()

        def instances():
            code, body = api.call("GET", "/api/v1/apps/rel/instances")
            return {i["id"]: i for i in body["items"]} if code == 200 else {}

        spec = {"name": "rel", "image": image, "command": ["httpd", "-f", "-p", "8080", "-h", "/www"], "instances": n,
                "resources": {"cpu": 0.01, "memoryMiB": 16}, "env": {"MODE": "1"},
                "health": {"readiness": {"type": "tcp", "port": 8080, "periodSeconds": 1}},
                "lifecycle": {"stopTimeoutSeconds": 2}}
        code, body = api.call("POST", "/api/v1/apps", spec)
        assert code == 201, body
        wait_until(lambda: api.call("GET", "/api/v1/apps/rel")[1]["status"]["ready"] == n, 300, 0.1, "all ready")

        # The order the release takes them: from the highest ordinal down.
        ids = [f"rel-{o}" for o in range(n - 1, -1, -1)]
        groups = [ids[i:i + size] for i in range(0, n, size)]

        # The peer: restart each group at once and wait until every instance is ready again.
        restart_times = []
        for g in groups:
            before = instances()
            t0 = time.monotonic()
            for i in g:
                code, body = api.call("POST", f"/api/v1/apps/rel/instances/{i}/restart")
                assert code == 202, body

            def restarted():
                now = instances()
                return all(now.get(i, {}).get("ready") and now[i].get("startedAt") != before[i].get("startedAt") for i in g)
            wait_until(restarted, 120, 0.02, "group restarted")
            restart_times.append(time.monotonic() - t0)

        # The release: the same groups as batches, a whole batch at once, automatic promotion.
        strategy = {"bastion": 0, "batches": {"size": size}, "promotion": "auto", "soakSeconds": 0,
                    "maxUnavailable": size, "batchDeadlineSeconds": 600}
        new_spec = {k: v for k, v in spec.items() if k not in ("name", "instances")}
        new_spec["env"] = {"MODE": "2"}
        t0 = time.monotonic()
        code, rel = api.call("POST", "/api/v1/apps/rel/releases", {"spec": new_spec, "strategy": strategy})
        assert code == 201, rel
        rid = rel["id"]
        seen = {}

        def done():
            code, r = api.call("GET", f"/api/v1/apps/rel/releases/{rid}")
            for bt in r["batches"]:
                if bt["readyAt"] and bt["index"] not in seen:
                    seen[bt["index"]] = time.monotonic() - t0
            return r["state"] in ("succeeded", "paused", "failed")
        wait_until(done, 600, 0.02, "release done")
        total = time.monotonic() - t0
        code, r = api.call("GET", f"/api/v1/apps/rel/releases/{rid}")
        assert r["state"] == "succeeded", r

        print()
        print(f"release of {n} instances in {len(r['batches'])} batches of up to {size} (whole batch at once) "
              f"against a restart of the same groups, same run")
        print(f"  {'batch':>5} {'release (berth) s':>18} {'restart s':>10} {'ratio':>6} {'overhead s':>11} {'gap to next s':>14}")
        overheads, ratios = [], []
        bs = r["batches"]
        for i, bt in enumerate(bs):
            rel_s = ts(bt["readyAt"]) - ts(bt["startedAt"])
            rs = restart_times[i] if i < len(restart_times) else float("nan")
            gap = ts(bs[i + 1]["startedAt"]) - ts(bt["readyAt"]) if i + 1 < len(bs) else float("nan")
            overheads.append(rel_s - rs)
            ratios.append(rel_s / rs)
            print(f"  {i:>5} {rel_s:18.2f} {rs:10.2f} {rel_s / rs:6.2f} {rel_s - rs:11.2f} {gap:14.3f}")
        print(f"  whole release (client wall time): {total:.2f} s; restarts of all groups: {sum(restart_times):.2f} s; "
              f"ratio {total / sum(restart_times):.2f}x")
        print(f"  median ratio per batch {statistics.median(ratios):.2f}x; median controller overhead per batch "
              f"{statistics.median(overheads):.2f} s")


if __name__ == "__main__":
    main()
