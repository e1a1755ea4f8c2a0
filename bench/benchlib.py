"""Shared parts of Berth's benchmarks: a local registry with the demo image, Berth started the
README's way (./start.sh), its API, and cleanup of everything they leave on the host.

Benchmarks talk only to 127.0.0.1 and to the containers they create, and stop what they start.
"""
import json, os, shutil, signal, socket, subprocess, time, urllib.request, urllib.error

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TOKEN = "berth_bench_token_0123456789abcdefghij"


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


def bounded(count, seconds):
    """0, 1, ... up to count - 1, stopping early once `seconds` have passed: every benchmark loop is
    bounded in count and in time."""
    deadline = time.monotonic() + seconds
    for i in range(count):
        if time.monotonic() > deadline:
            print(f"  (loop stopped after {i} of {count}: over its {seconds} s budget)")
            return
        yield i


def median_ms(values):
    return __import__("statistics").median(values) * 1000 if values else float("nan")


def pct(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


class Api:
    def __init__(self, port):
        self.base = f"http://127.0.0.1:{port}"

    def call(self, method, path, body=None):
        data = json.dumps(body).encode() if body is not None else None
        req = urllib.request.Request(self.base + path, data=data, method=method,
                                     headers={"Authorization": "Bearer " + TOKEN, "Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(req, timeout=60) as r:
                raw = r.read()
                return r.status, (json.loads(raw) if raw and r.headers.get_content_type().endswith("json") else raw)
        except urllib.error.HTTPError as e:
            return e.code, e.read().decode()


class Bench:
    """Owns a work directory, a registry with the demo image, and Berth; cleans all up on exit."""

    def __init__(self, bridge, subnet, cgroup):
        self.bridge, self.subnet, self.cgroup = bridge, subnet, cgroup
        self.work = __import__("tempfile").mkdtemp(prefix="berth-bench-")
        self.data = os.path.join(self.work, "data")
        self.procs = []
        self.berth = None
        self.api = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop_berth()
        for p in reversed(self.procs):
            stop(p)
        self.cleanup()

    def registry(self):
        port = free_port()
        cfg = os.path.join(self.work, "registry.yml")
        with open(cfg, "w") as f:
            f.write(f"version: 0.1\nstorage:\n  filesystem:\n    rootdirectory: {self.work}/registry\nhttp:\n  addr: 127.0.0.1:{port}\n")
        self.procs.append(subprocess.Popen(["docker-registry", "serve", cfg], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
        wait_until(lambda: urllib.request.urlopen(f"http://127.0.0.1:{port}/v2/", timeout=1).status == 200, 20, what="registry")
        image = f"127.0.0.1:{port}/bench/busybox:1"
        subprocess.run([os.path.join(ROOT, "scripts/push-demo-image"), image, "bench"], check=True, stdout=subprocess.DEVNULL)
        return image

    def start_berth(self, *extra):
        port = free_port()
        log = open(os.path.join(self.work, "berth.log"), "a")
        self.berth = subprocess.Popen([os.path.join(ROOT, "start.sh"), f"--server.port={port}", f"--berth.admin-token={TOKEN}",
                                       f"--berth.local.bridge={self.bridge}", f"--berth.local.subnet={self.subnet}",
                                       f"--berth.local.cgroup-parent={self.cgroup}", *extra],
                                      env={**os.environ, "BERTH_DATA_DIR": self.data}, stdout=log, stderr=subprocess.STDOUT)
        self.api = Api(port)
        wait_until(lambda: self.api.call("GET", "/api/v1/clusters")[0] == 200, 180, 0.2, "Berth to start")
        return self.api

    def stop_berth(self):
        if self.berth is not None:
            stop(self.berth)
            self.berth = None

    def rss_mib(self):
        with open(f"/proc/{self.berth.pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
        return 0

    def cleanup(self):
        root = os.path.join(self.data, "local", "runc")
        if os.path.isdir(root):
            for cid in subprocess.run(["runc", "--root", root, "list", "-q"], capture_output=True, text=True).stdout.split():
                subprocess.run(["runc", "--root", root, "kill", cid, "KILL"], stderr=subprocess.DEVNULL)
                subprocess.run(["runc", "--root", root, "delete", "--force", cid], stderr=subprocess.DEVNULL)
        with open("/proc/mounts") as f:
            mounts = [l.split()[1] for l in f if l.split()[1].startswith(self.work)]
        for m in sorted(mounts, reverse=True):
            subprocess.run(["umount", "-l", m], stderr=subprocess.DEVNULL)
        for ns in subprocess.run(["ip", "netns", "list"], capture_output=True, text=True).stdout.split("\n"):
            name = ns.split(" ")[0]
            if name.startswith(f"berth-{self.bridge}-"):
                subprocess.run(["ip", "netns", "del", name], stderr=subprocess.DEVNULL)
        subprocess.run(["ip", "link", "del", self.bridge], stderr=subprocess.DEVNULL)
        shutil.rmtree(self.work, ignore_errors=True)


def raw_bundle(b, args):
    """A plain runc bundle on the image Berth unpacked: the peer of every runc comparison."""
    import glob
    rootfs = glob.glob(os.path.join(b.data, "oci", "images", "*", "rootfs"))[0]
    bundle = os.path.join(b.work, "bundle")
    os.makedirs(bundle)
    subprocess.run(["runc", "spec"], cwd=bundle, check=True)
    with open(os.path.join(bundle, "config.json")) as f:
        spec = json.load(f)
    spec["root"] = {"path": rootfs, "readonly": True}
    spec["process"]["terminal"] = False
    spec["process"]["args"] = args
    with open(os.path.join(bundle, "config.json"), "w") as f:
        json.dump(spec, f)
    return bundle, os.path.join(b.work, "runc")


def stop(p):
    if p.poll() is None:
        p.send_signal(signal.SIGTERM)
        try:
            p.wait(30)
        except subprocess.TimeoutExpired:
            p.kill(); p.wait()
