"""Benchmark: image replication through Berth against skopeo, latency on push, and faults.

Run through bench/image-replication.sh. Everything runs on 127.0.0.1: four docker-registry
instances (source, Berth's target, skopeo's target, and the target behind a faulty proxy), a TCP
proxy in this process, and Berth. Every loop is bounded; everything started is stopped.
"""
import hashlib, io, json, os, random, socket, subprocess, sys, tarfile, threading, time, urllib.error, urllib.request
from benchlib import TOKEN, Bench, free_port, pct, wait_until


def registry(b, name, notify=None):
    port = free_port()
    cfg = os.path.join(b.work, f"{name}.yml")
    text = (f"version: 0.1\nlog:\n  level: error\n  accesslog:\n    disabled: true\nstorage:\n  filesystem:\n"
            f"    rootdirectory: {b.work}/{name}\n  delete:\n    enabled: true\nhttp:\n  addr: 127.0.0.1:{port}\n")
    if notify:
        text += (f"notifications:\n  endpoints:\n    - name: berth\n      url: {notify}\n      timeout: 5s\n      threshold: 3\n"
                 f"      backoff: 200ms\n      headers:\n        Authorization: [\"Bearer {TOKEN}\"]\n"
                 f"      ignoredmediatypes:\n        - application/octet-stream\n")
    with open(cfg, "w") as f:
        f.write(text)
    b.procs.append(subprocess.Popen(["docker-registry", "serve", cfg], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
    wait_until(lambda: urllib.request.urlopen(f"http://127.0.0.1:{port}/v2/", timeout=1).status == 200, 20, what=name)
    return f"127.0.0.1:{port}"


def http(method, url, data=None, headers=None):
    req = urllib.request.Request(url, data=data, method=method, headers=headers or {})
    with urllib.request.urlopen(req, timeout=120) as r:
        return r.status, dict(r.headers), r.read()


def push_blob(host, repo, data):
    digest = "sha256:" + hashlib.sha256(data).hexdigest()
    try:
        http("HEAD", f"http://{host}/v2/{repo}/blobs/{digest}")
        return digest
    except urllib.error.HTTPError:
        pass
    _, h, _ = http("POST", f"http://{host}/v2/{repo}/blobs/uploads/")
    loc = h["Location"]
    loc = loc if loc.startswith("http") else f"http://{host}{loc}"
    http("PUT", loc + ("&" if "?" in loc else "?") + "digest=" + digest, data, {"Content-Type": "application/octet-stream"})
    return digest


def layer(files):
    """An uncompressed, deterministic layer tar of {name: bytes}."""
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=tarfile.PAX_FORMAT) as t:
        for name, data in files.items():
            info = tarfile.TarInfo(name); info.size = len(data); info.mtime = 1704067200; info.mode = 0o644
            t.addfile(info, io.BytesIO(data))
    return buf.getvalue()


def push_image(host, repo, tag, layers, created="2024-01-01T00:00:00Z"):
    """Pushes an OCI image of the given layer tars (blobs streamed by the registry API); returns its digest."""
    descs = [{"mediaType": "application/vnd.oci.image.layer.v1.tar", "digest": push_blob(host, repo, l), "size": len(l)} for l in layers]
    config = json.dumps({"created": created, "architecture": "amd64", "os": "linux", "config": {},
                         "rootfs": {"type": "layers", "diff_ids": [d["digest"] for d in descs]}}).encode()
    manifest = json.dumps({"schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
                           "config": {"mediaType": "application/vnd.oci.image.config.v1+json", "digest": push_blob(host, repo, config), "size": len(config)},
                           "layers": descs}).encode()
    http("PUT", f"http://{host}/v2/{repo}/manifests/{tag}", manifest, {"Content-Type": "application/vnd.oci.image.manifest.v1+json"})
    return "sha256:" + hashlib.sha256(manifest).hexdigest()


def has(host, repo, tag):
    try:
        http("HEAD", f"http://{host}/v2/{repo}/manifests/{tag}", headers={"Accept": "application/vnd.oci.image.manifest.v1+json"})
        return True
    except urllib.error.HTTPError:
        return False


class FaultyProxy:
    """A TCP proxy that cuts `share` of the HTTP requests it carries, on new and reused connections alike.

    Clients keep connections open and send one request after another on them (no pipelining), so a
    request starts where a read from the client begins with a method and a path. A chosen request's
    answer is cut after a random number of its bytes (0 to 64 KiB, always before its end) and both
    sides of that connection are reset: the client never sees the whole answer, and for an upload the
    registry may already have stored what it was sent."""

    METHODS = (b"GET /", b"HEAD /", b"POST /", b"PUT /", b"PATCH /", b"DELETE /")

    def __init__(self, upstream_port, share, seed=42):
        self.upstream, self.share, self.rand = upstream_port, share, random.Random(seed)
        self.lock = threading.Lock()
        self.sock = socket.socket(); self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0)); self.sock.listen(256)
        self.port = self.sock.getsockname()[1]
        self.reset()
        self.open = True
        threading.Thread(target=self.accept, daemon=True).start()

    def reset(self):
        self.connections = self.requests = self.cut = 0

    def accept(self):
        while self.open:
            try:
                c, _ = self.sock.accept()
            except OSError:
                return
            with self.lock:
                self.connections += 1
            threading.Thread(target=self.carry, args=(c,), daemon=True).start()

    def carry(self, c):
        try:
            u = socket.create_connection(("127.0.0.1", self.upstream), 5)
        except OSError:
            c.close(); return
        state = {"head": False, "cut": False}  # the request in flight on this connection
        threading.Thread(target=self.requests_to_upstream, args=(c, u, state), daemon=True).start()
        self.answers_to_client(u, c, state)

    def requests_to_upstream(self, c, u, state):
        try:
            while True:
                data = c.recv(65536)
                if not data:
                    break
                if data.startswith(self.METHODS):
                    with self.lock:
                        self.requests += 1
                        cut = self.rand.random() < self.share
                        self.cut += cut
                    state["head"], state["cut"] = data.startswith(b"HEAD "), cut
                u.sendall(data)
        except OSError:
            pass
        finally:
            shutdown(u)

    def answers_to_client(self, u, c, state):
        pending, limit = b"", None
        try:
            while True:
                data = u.recv(65536)
                if not data:
                    break
                if not state["cut"]:
                    c.sendall(data); continue
                pending += data
                if limit is None:
                    end = pending.find(b"\r\n\r\n")
                    if end < 0:
                        continue
                    total = end + 4 + body_length(pending[:end], state["head"])
                    limit = self.rand.randrange(min(total, 64 * 1024))  # never the whole answer
                if len(pending) >= limit:
                    c.sendall(pending[:limit])
                    cut(u, c)
                    return
        except OSError:
            pass
        finally:
            shutdown(c)

    def close(self):
        self.open = False
        self.sock.close()


def body_length(head, is_head):
    """The body length an HTTP/1.1 response head announces (1 when it cannot tell: chunked)."""
    lines = head.split(b"\r\n")
    status = int(lines[0].split()[1])
    if is_head or status < 200 or status in (204, 304):
        return 0
    for line in lines[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            return int(value.strip())
    return 1


def cut(*socks):
    """Resets connections. SHUT_RD first wakes the other thread blocked in recv() on the same socket: a
    close() alone would leave the connection open until that recv returned, which it never would."""
    for s in socks:
        try:
            s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
            s.shutdown(socket.SHUT_RD)
        except OSError:
            pass
        s.close()


def shutdown(s):
    try:
        s.shutdown(socket.SHUT_WR)
    except OSError:
        pass


def call(api, method, path, timeout):
    """An API call allowed to take long (a sync answers when done)."""
    req = urllib.request.Request(api.base + path, method=method, data=b"",
                                 headers={"Authorization": "Bearer " + TOKEN, "Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            return r.status, json.loads(r.read())
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode()


def say(line):
    print(line, flush=True)


def main():
    samples, fault_images = int(sys.argv[1]), int(sys.argv[2])
    with Bench("berthbenchir", "10.204.8.0/24", "berth-bench-ir") as b:
        api = b.start_berth("--berth.local.enabled=false", "--berth.images.sync-interval=0", "--berth.images.parallel-images=8")
        src = registry(b, "src", notify=f"{api.base}/api/v1/registries/src/events")
        dst = registry(b, "dst")
        sko = registry(b, "sko")
        flaky_target = registry(b, "flaky")
        proxy = FaultyProxy(int(flaky_target.split(":")[1]), 0.0)  # faults from (d) on
        try:
            for name, host in (("src", src), ("dst", dst), ("flaky", f"127.0.0.1:{proxy.port}")):
                code, body = api.call("POST", "/api/v1/registries", {"name": name, "url": f"http://{host}"})
                assert code == 201, body
            proxy.reset()

            def rule(name, flt, target="dst"):
                code, body = api.call("POST", "/api/v1/replications", {"name": name, "sourceRegistry": "src", "filter": flt, "targets": [{"registry": target}]})
                assert code == 201, body

            def sync(name):
                t0 = time.monotonic()
                code, body = call(api, "POST", f"/api/v1/replications/{name}/sync", 900)
                assert code == 200 and body["failed"] == 0, body
                return time.monotonic() - t0, body

            def skopeo(*args):
                t0 = time.monotonic()
                subprocess.run(["skopeo", *args, "--src-tls-verify=false", "--dest-tls-verify=false"], check=True,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                return time.monotonic() - t0

            say("image replication: Berth against skopeo 1.9, between local docker-registry instances")
            rnd = random.Random(1)
            # (a) one image with a 100 MB layer (incompressible).
            push_image(src, "bench/big", "1", [layer({"big.bin": rnd.randbytes(100 * 1024 * 1024)})])
            rule("a", "bench/big")
            berth_a, _ = sync("a")
            assert has(dst, "bench/big", "1")
            skopeo_a = skopeo("copy", f"docker://{src}/bench/big:1", f"docker://{sko}/bench/big:1")
            say(f"(a) one image, 100 MB layer:      Berth {berth_a:6.2f} s   skopeo copy {skopeo_a:6.2f} s   ratio {berth_a / skopeo_a:.2f}x  (target <= 1.0x)")

            # (b) 20 tags sharing a 30 MB base layer, each with its own 200 KB layer.
            base = layer({"base.bin": rnd.randbytes(30 * 1024 * 1024)})
            for i in range(20):
                push_image(src, "bench/many", f"t{i:02d}", [base, layer({f"app{i}.bin": rnd.randbytes(200 * 1024)})])
            rule("b", "bench/many")
            berth_b, summary_b = sync("b")
            assert summary_b["copied"] == 20, summary_b
            skopeo_b = skopeo("sync", "--src", "docker", "--dest", "docker", f"{src}/bench/many", f"{sko}/sync")
            say(f"(b) 20 tags sharing 30 MB:        Berth {berth_b:6.2f} s   skopeo sync {skopeo_b:6.2f} s   ratio {berth_b / skopeo_b:.2f}x  (target <= 0.5x)")

            # (c) push-to-replicated latency of 10 MB images, through the source's notifications.
            rule("c", "bench/latency")
            for i in range(samples):
                push_image(src, "bench/latency", f"l{i}", [layer({"l.bin": rnd.randbytes(10 * 1024 * 1024)})])
                wait_until(lambda: has(dst, "bench/latency", f"l{i}"), 60, 0.01, f"latency image {i}")
            def latencies():
                code, page = api.call("GET", f"/api/v1/replications/c/jobs?size={samples * 2}")
                done = [j for j in page["items"] if j.get("trigger") == "push" and j.get("state") == "succeeded" and j.get("latencyMs") is not None]
                return done if len(done) >= samples else None
            lat = [j["latencyMs"] / 1000 for j in wait_until(latencies, 60, 0.1, "latency jobs")]
            say(f"(c) push-to-replicated, 10 MB, {len(lat)} pushes: p50 {pct(lat, 50):.3f} s  p99 {pct(lat, 99):.3f} s  max {max(lat):.3f} s  (target p99 < 2 s)")

            # (d) 200 small images through a proxy that cuts 10 % of the requests to the target.
            shared = layer({"shared.bin": rnd.randbytes(1024 * 1024)})
            for i in range(fault_images):
                push_image(src, "bench/fault", f"f{i:03d}", [shared, layer({f"f{i}": rnd.randbytes(16 * 1024)})])
            proxy.reset()
            proxy.share = 0.10
            rule("d", "bench/fault", "flaky")
            t0 = time.monotonic()
            code, summary_d = call(api, "POST", "/api/v1/replications/d/sync", 900)
            fault_time = time.monotonic() - t0
            present = sum(1 for i in range(fault_images) if has(flaky_target, "bench/fault", f"f{i:03d}"))
        finally:
            proxy.close()

        say(f"(d) {fault_images} images, 10 % of requests cut: {present}/{fault_images} replicated = {100 * present / fault_images:.1f} %  "
            f"in {fault_time:.1f} s, {proxy.cut} of {proxy.requests} requests cut on {proxy.connections} connections; sync answered {code}: "
            f"{ {k: summary_d.get(k) for k in ('copied', 'upToDate', 'failed')} if isinstance(summary_d, dict) else summary_d}  (target 100 %)")


if __name__ == "__main__":
    main()
