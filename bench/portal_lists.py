#!/usr/bin/env python3
"""Portal list pages with many rows: 10 000 apps and 1 000 000 task runs in a throwaway H2 database.

Starts Berth once to create the schema, fills the tables directly (bench/PortalBenchData.java), starts
Berth again on them (local cluster off), signs in through the sign-in form like a browser (session
cookie + CSRF token), and times the app list and run list pages: first page, a deep page, a search.
Prints p50/p99 per page against the 300 ms target, once as the admin (no team filter) and once as a
developer of the data's team (every list filtered by the caller's teams in SQL).
"""
import glob, http.cookiejar, json, os, re, shutil, signal, socket, statistics, subprocess, sys, tempfile, time
import urllib.parse, urllib.request, zipfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
JAR = os.path.join(ROOT, "berth-server", "target", "berth-server.jar")
PASSWORD = "portal-bench-password"
TOKEN = "berth_portal_bench_token_0123456789abcdef"
MEMBER, MEMBER_PASSWORD = "dev", "portal-bench-member-password"
TARGET_MS = 300.0
WARMUP = 20  # requests per page before timing (JIT, caches)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start(data, port):
    log = open(os.path.join(data, "server.log"), "ab")
    p = subprocess.Popen(["java", "-Xmx1g", "-jar", JAR, f"--berth.data-dir={data}", f"--server.port={port}",
                          "--berth.local.enabled=false", f"--berth.admin-password={PASSWORD}", f"--berth.admin-token={TOKEN}",
                          "--logging.level.root=WARN"], stdout=log, stderr=subprocess.STDOUT)
    deadline = time.time() + 120
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/actuator/health", timeout=2) as r:
                if r.status == 200:
                    return p
        except OSError:
            if p.poll() is not None:
                sys.exit(f"Berth exited early; see {data}/server.log")
            time.sleep(0.5)
    p.kill()
    sys.exit("Berth did not become healthy in 120 s")


def stop(p):
    p.send_signal(signal.SIGTERM)
    p.wait(timeout=60)


def h2_jar(tmp):
    with zipfile.ZipFile(JAR) as z:
        name = next(n for n in z.namelist() if re.match(r"BOOT-INF/lib/h2-[\d.]+\.jar$", n))
        out = os.path.join(tmp, os.path.basename(name))
        with open(out, "wb") as f:
            f.write(z.read(name))
        return out


def api(base, method, path, body):
    req = urllib.request.Request(base + path, data=json.dumps(body).encode(), method=method,
                                 headers={"Authorization": "Bearer " + TOKEN, "Content-Type": "application/json"})
    with urllib.request.urlopen(req) as r:
        return r.status


def sign_in(base, user="admin", password=PASSWORD):
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    opener.addheaders = [("Accept", "text/html")]
    page = opener.open(base + "/signin").read().decode()
    token = re.search(r'name="_csrf" value="([^"]+)"', page).group(1)
    body = urllib.parse.urlencode({"username": user, "password": password, "_csrf": token}).encode()
    landed = opener.open(base + "/signin", body)
    if "/apps" not in landed.url:
        sys.exit("sign-in failed: landed on " + landed.url)
    return opener


def measure(opener, url, n, expect):
    times = []
    for i in range(n + WARMUP):
        t0 = time.perf_counter()
        with opener.open(url) as r:
            html = r.read().decode()
        ms = (time.perf_counter() - t0) * 1000
        if expect not in html:
            sys.exit(f"{url} did not show '{expect}'")
        if i >= WARMUP:
            times.append(ms)
    times.sort()
    return statistics.median(times), times[min(len(times) - 1, int(round(0.99 * len(times))) - 1)]


def main():
    apps = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 1_000_000
    n = int(sys.argv[3]) if len(sys.argv) > 3 else 50
    data = tempfile.mkdtemp(prefix="berth-bench-portal-")
    try:
        port = free_port()
        stop(start(data, port))
        t0 = time.time()
        subprocess.run(["java", "-cp", h2_jar(data), os.path.join(ROOT, "bench", "PortalBenchData.java"),
                        f"jdbc:h2:file:{data}/db/berth", str(apps), str(runs)], check=True)
        print(f"inserted {apps} apps and {runs} runs in {time.time() - t0:.0f} s")
        p = start(data, port)
        try:
            base = f"http://127.0.0.1:{port}"
            api(base, "POST", "/api/v1/users", {"name": MEMBER, "password": MEMBER_PASSWORD, "role": "member"})
            api(base, "PUT", f"/api/v1/teams/default/members/{MEMBER}", {"role": "developer"})
            rows = [
                ("app list, first page", "/apps", "app-00001"),
                ("app list, page 250", "/apps?page=250", "app-05001"),
                ("app list, search 'app-0999'", "/apps?q=app-0999", "app-09990"),
                ("run list, first page", "/tasks", f"bulk-{runs}"),
                ("run list, page 25000", "/tasks?page=25000", f"bulk-{runs - 500000}"),
                ("run list, failed runs", "/tasks?state=failed", f"bulk-{runs - runs % 10}"),
            ]
            if runs == 0:
                rows = rows[:3]
            worst = 0.0
            for who, opener in (("admin", sign_in(base)), (f"{MEMBER} (developer of team default)", sign_in(base, MEMBER, MEMBER_PASSWORD))):
                print(f"\nsigned in as {who}")
                print(f"{'page':32} {'p50 ms':>8} {'p99 ms':>8}   target {TARGET_MS:.0f} ms, {n} signed-in requests each")
                for label, path, expect in rows:
                    p50, p99 = measure(opener, base + path, n, expect)
                    worst = max(worst, p99)
                    print(f"{label:32} {p50:8.1f} {p99:8.1f}   {'ok' if p99 < TARGET_MS else 'OVER'}")
            print(f"\nworst p99 {worst:.1f} ms = {worst / TARGET_MS:.2f} x the 300 ms target")
        finally:
            stop(p)
    finally:
        shutil.rmtree(data, ignore_errors=True)


if __name__ == "__main__":
    main()
