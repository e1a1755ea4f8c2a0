package dev.berth.oci.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.core.runtime.ImageNotFoundException;
import dev.berth.core.runtime.RegistryUnavailableException;
import dev.berth.oci.DigestVerifyingInputStream;
import dev.berth.oci.Digests;
import dev.berth.oci.ImageContentException;
import dev.berth.oci.ImageReference;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A client of the OCI distribution API (Docker Registry HTTP API v2) on {@link HttpClient}:
 * manifests, blobs, catalog, tags and pushes, with anonymous, HTTP basic and bearer-token auth driven
 * by the registry's {@code WWW-Authenticate} challenge. Loopback registries and the configured
 * insecure ones are spoken to over plain HTTP, all others over HTTPS.
 *
 * <p>Thread-safe; meant to be shared. Every call blocks the calling thread (virtual threads welcome)
 * and is bounded by the connect and request timeouts (for uploads: the transfer timeout).
 *
 * <p>Failures: a missing repository, tag, manifest or blob is an {@link ImageNotFoundException} naming
 * the reference; an unreachable registry, timeout, 5xx or 429 a {@link
 * RegistryUnavailableException}; rejected or missing credentials a {@link
 * RegistryAuthenticationException}; bytes not matching their digest an {@link ImageContentException};
 * any other unexpected answer a {@link RegistryException}.
 */
public final class RegistryClient implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern NEXT_LINK = Pattern.compile("<([^>]+)>\\s*;\\s*rel=\"?next\"?");
  private static final int MAX_REDIRECTS = 5;

  private final HttpClient http;
  private final Authenticator auth;
  private final Set<String> insecure;
  private final Duration requestTimeout;
  private final Duration transferTimeout;

  private RegistryClient(Builder b) {
    this.http =
        HttpClient.newBuilder()
            .connectTimeout(b.connectTimeout)
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
    this.auth = new Authenticator(http, b.credentials, b.clock, b.requestTimeout);
    this.insecure = Set.copyOf(b.insecure);
    this.requestTimeout = b.requestTimeout;
    this.transferTimeout = b.transferTimeout;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** An anonymous client with default timeouts, using the system clock for token expiry. */
  public static RegistryClient anonymous() {
    return builder().build();
  }

  /** Configures a {@link RegistryClient}. Not thread-safe. */
  public static final class Builder {
    private Credentials credentials = Credentials.anonymous();
    private InstantSource clock = InstantSource.system();
    private Set<String> insecure = Set.of();
    private Duration connectTimeout = Duration.ofSeconds(10);
    private Duration requestTimeout = Duration.ofSeconds(30);
    private Duration transferTimeout = Duration.ofMinutes(30);

    public Builder credentials(Credentials credentials) {
      this.credentials = credentials;
      return this;
    }

    /** The time source for bearer-token expiry. */
    public Builder clock(InstantSource clock) {
      this.clock = clock;
      return this;
    }

    /** Registries ({@code host} or {@code host:port}) spoken to over plain HTTP. */
    public Builder insecureRegistries(Collection<String> registries) {
      this.insecure = Set.copyOf(registries);
      return this;
    }

    public Builder connectTimeout(Duration timeout) {
      this.connectTimeout = timeout;
      return this;
    }

    /** How long to wait for response headers of an ordinary request. */
    public Builder requestTimeout(Duration timeout) {
      this.requestTimeout = timeout;
      return this;
    }

    /** How long to wait for response headers of an upload (which come after the whole body). */
    public Builder transferTimeout(Duration timeout) {
      this.transferTimeout = timeout;
      return this;
    }

    public RegistryClient build() {
      return new RegistryClient(this);
    }
  }

  // ---------------------------------------------------------------- manifests

  /**
   * Fetches the manifest or index the reference names (by digest when it has one, else by tag). A
   * manifest fetched by digest is checked against it.
   */
  public Manifest getManifest(ImageReference ref) {
    URI uri = url(ref.apiHost(), "/v2/" + ref.repository() + "/manifests/" + ref.manifestReference());
    HttpResponse<byte[]> r =
        send(
            ref,
            pullScope(ref),
            () -> get(uri).header("Accept", MediaTypes.MANIFEST_ACCEPT),
            HttpResponse.BodyHandlers.ofByteArray(),
            "manifest " + ref);
    Responses.expect(r, ref.toString(), "manifest " + ref, 200);
    String digest = Digests.sha256(r.body());
    if (ref.digest() != null && !ref.digest().equals(digest)) {
      throw new ImageContentException(
          "manifest " + ref + " does not match its digest: got " + digest);
    }
    return Manifest.of(r.headers().firstValue("Content-Type").orElse(""), digest, r.body());
  }

  /**
   * Fetches the image manifest for a platform: the manifest itself when the reference names one, or
   * the matching entry when it names an index or manifest list.
   *
   * @throws ImageNotFoundException also when the index has no entry for the platform
   */
  public Manifest getImageManifest(ImageReference ref, Platform platform) {
    Manifest m = getManifest(ref);
    if (!m.isIndex()) {
      return m;
    }
    Descriptor entry =
        m.manifestFor(platform)
            .orElseThrow(
                () -> new ImageNotFoundException(ref + " has no manifest for " + platform));
    Manifest image = getManifest(ref.withDigest(entry.digest()));
    if (image.isIndex()) {
      throw new ImageContentException(
          "index entry " + entry.digest() + " of " + ref + " for " + platform + " is another index");
    }
    return image;
  }

  /**
   * The digest of what the reference names (an index's own digest for a multi-platform image),
   * from {@code Docker-Content-Digest} of a HEAD, else from the body of a GET.
   */
  public String headManifest(ImageReference ref) {
    URI uri = url(ref.apiHost(), "/v2/" + ref.repository() + "/manifests/" + ref.manifestReference());
    HttpResponse<Void> r =
        send(
            ref,
            pullScope(ref),
            () -> head(uri).header("Accept", MediaTypes.MANIFEST_ACCEPT),
            HttpResponse.BodyHandlers.discarding(),
            "manifest " + ref);
    Responses.expect(r, ref.toString(), "manifest " + ref, 200);
    Optional<String> header = r.headers().firstValue("Docker-Content-Digest");
    if (header.isPresent() && header.get().startsWith("sha256:")) {
      return Digests.requireSha256(header.get());
    }
    return getManifest(ref).digest();
  }

  /**
   * The digest the reference currently names, or empty when the repository, tag or digest is absent
   * (a HEAD; the body is fetched only when the registry sends no {@code Docker-Content-Digest}).
   */
  public Optional<String> findManifest(ImageReference ref) {
    URI uri = url(ref.apiHost(), "/v2/" + ref.repository() + "/manifests/" + ref.manifestReference());
    HttpResponse<Void> r =
        send(
            ref,
            pullScope(ref),
            () -> head(uri).header("Accept", MediaTypes.MANIFEST_ACCEPT),
            HttpResponse.BodyHandlers.discarding(),
            "manifest " + ref);
    if (r.statusCode() == 404) {
      return Optional.empty();
    }
    Responses.expect(r, ref.toString(), "manifest " + ref, 200);
    Optional<String> header = r.headers().firstValue("Docker-Content-Digest");
    if (header.isPresent() && header.get().startsWith("sha256:")) {
      return Optional.of(Digests.requireSha256(header.get()));
    }
    return Optional.of(getManifest(ref).digest());
  }

  /**
   * Uploads a manifest under the reference's tag (or digest) with its media type.
   *
   * @return the manifest's digest
   */
  public String putManifest(ImageReference ref, String mediaType, byte[] body) {
    URI uri = url(ref.apiHost(), "/v2/" + ref.repository() + "/manifests/" + ref.manifestReference());
    HttpResponse<byte[]> r =
        send(
            ref,
            pushScope(ref),
            () ->
                HttpRequest.newBuilder(uri)
                    .timeout(requestTimeout)
                    .header("Content-Type", mediaType)
                    .PUT(HttpRequest.BodyPublishers.ofByteArray(body)),
            HttpResponse.BodyHandlers.ofByteArray(),
            "manifest push " + ref);
    Responses.expect(r, ref.toString(), "manifest push " + ref, 201, 200);
    return Digests.sha256(body);
  }

  // ---------------------------------------------------------------- blobs

  /**
   * Opens a blob for streaming, following redirects (without our credentials when they leave the
   * registry's host). The stream verifies the digest as it goes: the read that reaches the end
   * throws {@link ImageContentException} on a mismatch. The caller closes the stream.
   */
  public InputStream openBlob(ImageReference repo, String digest) {
    Digests.requireSha256(digest);
    String what = "blob " + digest + " of " + repo.name();
    URI uri = url(repo.apiHost(), "/v2/" + repo.repository() + "/blobs/" + digest);
    HttpResponse<InputStream> r =
        send(repo, pullScope(repo), () -> get(uri), HttpResponse.BodyHandlers.ofInputStream(), what);
    URI current = uri;
    for (int hops = 0; Responses.isRedirect(r.statusCode()); hops++) {
      Responses.close(r);
      if (hops == MAX_REDIRECTS) {
        throw new RegistryException(what + ": more than " + MAX_REDIRECTS + " redirects");
      }
      String location =
          r.headers()
              .firstValue("Location")
              .orElseThrow(() -> new RegistryException(what + ": redirect without Location"));
      URI next = current.resolve(location);
      current = next;
      if (Responses.sameOrigin(next, uri)) {
        r = send(repo, pullScope(repo), () -> get(next), HttpResponse.BodyHandlers.ofInputStream(), what);
      } else {
        r = exchange(get(next).build(), HttpResponse.BodyHandlers.ofInputStream(), repo.registry(), what);
      }
    }
    Responses.expect(r, repo.name() + "@" + digest, what, 200);
    return new DigestVerifyingInputStream(r.body(), digest, what);
  }

  /** Whether the repository has the blob. */
  public boolean hasBlob(ImageReference repo, String digest) {
    Digests.requireSha256(digest);
    URI uri = url(repo.apiHost(), "/v2/" + repo.repository() + "/blobs/" + digest);
    String what = "blob " + digest + " of " + repo.name();
    HttpResponse<Void> r =
        send(repo, pullScope(repo), () -> head(uri), HttpResponse.BodyHandlers.discarding(), what);
    if (r.statusCode() == 404) {
      return false;
    }
    if (Responses.isRedirect(r.statusCode())) {
      return true;
    }
    Responses.expect(r, repo.name() + "@" + digest, what, 200);
    return true;
  }

  /**
   * Uploads a blob from a file unless the repository has it: a POST opening the upload, then one
   * monolithic PUT with the digest, streamed from the file.
   */
  public void pushBlob(ImageReference repo, String digest, Path file) {
    Digests.requireSha256(digest);
    if (hasBlob(repo, digest)) {
      return;
    }
    HttpRequest.BodyPublisher body;
    try {
      body = HttpRequest.BodyPublishers.ofFile(file);
    } catch (FileNotFoundException e) {
      throw new UncheckedIOException("cannot read blob file " + file, e);
    }
    upload(repo, digest, body);
  }

  /** Uploads a blob held in memory (configs, small layers) unless present; returns its digest. */
  public String pushBlob(ImageReference repo, byte[] content) {
    String digest = Digests.sha256(content);
    if (!hasBlob(repo, digest)) {
      upload(repo, digest, HttpRequest.BodyPublishers.ofByteArray(content));
    }
    return digest;
  }

  /**
   * Streams a blob of {@code size} bytes into the repository in one monolithic PUT, reading {@code
   * content} once and never holding it in memory. Does not check whether the blob is already there
   * (call {@link #hasBlob} first). The caller closes the stream.
   */
  public void pushBlob(ImageReference repo, String digest, long size, InputStream content) {
    Digests.requireSha256(digest);
    OneShot once = new OneShot(content);
    HttpRequest.BodyPublisher stream = HttpRequest.BodyPublishers.ofInputStream(once);
    upload(repo, digest, size >= 0 ? HttpRequest.BodyPublishers.fromPublisher(stream, size) : stream);
  }

  /**
   * Streams a blob into the repository in chunks of at most {@code chunkSize} bytes (one {@code
   * PATCH} each, then the closing {@code PUT} with the digest): for registries behind a proxy that
   * limits request bodies. Holds one chunk in memory at a time.
   */
  public void pushBlobChunked(ImageReference repo, String digest, InputStream content, int chunkSize) {
    Digests.requireSha256(digest);
    if (chunkSize <= 0) {
      throw new IllegalArgumentException("chunkSize must be > 0, was " + chunkSize);
    }
    String what = "chunked upload of " + digest + " to " + repo.name();
    URI location = openUpload(repo, what);
    byte[] chunk = new byte[chunkSize];
    long offset = 0;
    try {
      int n;
      while ((n = content.readNBytes(chunk, 0, chunkSize)) > 0) {
        URI at = location;
        String range = offset + "-" + (offset + n - 1);
        byte[] body = n == chunkSize ? chunk : java.util.Arrays.copyOf(chunk, n);
        HttpResponse<byte[]> r =
            send(
                repo,
                pushScope(repo),
                () ->
                    HttpRequest.newBuilder(at)
                        .timeout(transferTimeout)
                        .header("Content-Type", "application/octet-stream")
                        .header("Content-Range", range)
                        .method("PATCH", HttpRequest.BodyPublishers.ofByteArray(body)),
                HttpResponse.BodyHandlers.ofByteArray(),
                what);
        Responses.expect(r, repo.name(), what, 202);
        location = nextLocation(at, r, what);
        offset += n;
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the content of " + digest + " for " + repo.name(), e);
    }
    finishUpload(repo, digest, location, HttpRequest.BodyPublishers.noBody(), what);
  }

  /**
   * Asks the registry to mount a blob of another of its repositories into this one, without copying
   * bytes. Returns false when the registry does not mount (it then opens an ordinary upload, which is
   * cancelled here) so the caller uploads instead.
   */
  public boolean mountBlob(ImageReference repo, String digest, String fromRepository) {
    Digests.requireSha256(digest);
    String what = "mount of " + digest + " from " + fromRepository + " into " + repo.name();
    URI start =
        url(
            repo.apiHost(),
            "/v2/" + repo.repository() + "/blobs/uploads/?mount=" + enc(digest) + "&from=" + enc(fromRepository));
    HttpResponse<byte[]> r =
        send(
            repo,
            pushScope(repo) + " repository:" + fromRepository + ":pull",
            () -> HttpRequest.newBuilder(start).timeout(requestTimeout).POST(HttpRequest.BodyPublishers.noBody()),
            HttpResponse.BodyHandlers.ofByteArray(),
            what);
    if (r.statusCode() == 201) {
      return true;
    }
    Responses.expect(r, repo.name(), what, 202);
    r.headers().firstValue("Location").ifPresent(l -> cancelUpload(repo, start.resolve(l), what));
    return false;
  }

  private void cancelUpload(ImageReference repo, URI location, String what) {
    try {
      send(repo, pushScope(repo), () -> HttpRequest.newBuilder(location).timeout(requestTimeout).DELETE(),
          HttpResponse.BodyHandlers.discarding(), what);
    } catch (RuntimeException e) {
      // an abandoned upload is purged by the registry; nothing depends on it
    }
  }

  private void upload(ImageReference repo, String digest, HttpRequest.BodyPublisher body) {
    String what = "upload of " + digest + " to " + repo.name();
    finishUpload(repo, digest, openUpload(repo, what), body, what);
  }

  private URI openUpload(ImageReference repo, String what) {
    URI start = url(repo.apiHost(), "/v2/" + repo.repository() + "/blobs/uploads/");
    HttpResponse<byte[]> opened =
        send(
            repo,
            pushScope(repo),
            () ->
                HttpRequest.newBuilder(start)
                    .timeout(requestTimeout)
                    .POST(HttpRequest.BodyPublishers.noBody()),
            HttpResponse.BodyHandlers.ofByteArray(),
            what);
    Responses.expect(opened, repo.name(), what, 202);
    return nextLocation(start, opened, what);
  }

  private static URI nextLocation(URI base, HttpResponse<?> r, String what) {
    return base.resolve(
        r.headers()
            .firstValue("Location")
            .orElseThrow(() -> new RegistryException(what + ": no Location for the upload")));
  }

  private void finishUpload(
      ImageReference repo, String digest, URI location, HttpRequest.BodyPublisher body, String what) {
    String sep = location.getRawQuery() == null ? "?" : "&";
    URI put = URI.create(location + sep + "digest=" + enc(digest));
    HttpResponse<byte[]> done =
        send(
            repo,
            pushScope(repo),
            () ->
                HttpRequest.newBuilder(put)
                    .timeout(transferTimeout)
                    .header("Content-Type", "application/octet-stream")
                    .PUT(body),
            HttpResponse.BodyHandlers.ofByteArray(),
            what);
    Responses.expect(done, repo.name(), what, 201);
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  /** Hands out its stream once: a second send (after a 401) cannot replay a consumed stream. */
  private record OneShot(InputStream in, java.util.concurrent.atomic.AtomicBoolean used)
      implements Supplier<InputStream> {
    OneShot(InputStream in) {
      this(in, new java.util.concurrent.atomic.AtomicBoolean());
    }

    @Override
    public InputStream get() {
      if (used.getAndSet(true)) {
        throw new IllegalStateException("a streamed blob cannot be sent twice; retry the copy");
      }
      return in;
    }
  }

  // ---------------------------------------------------------------- listing

  /** One page of a listing and the cursor ({@code last}) for the next, {@code null} at the end. */
  public record Page(List<String> items, String next) {}

  /** All repository names of a registry ({@code host[:port]}), following {@code Link} pages. */
  public List<String> catalog(String registry, int pageSize) {
    return all(last -> catalogPage(registry, pageSize, last));
  }

  /** One page of the catalog: at most {@code n} names after {@code last} (null: from the start). */
  public Page catalogPage(String registry, int n, String last) {
    ImageReference target = new ImageReference(registry, "_catalog", "latest", null);
    URI uri = url(apiHostOf(registry), "/v2/_catalog?n=" + n + (last == null ? "" : "&last=" + enc(last)));
    return page(target, "registry:catalog:*", uri, "repositories", "catalog of " + registry);
  }

  /** All tags of a repository, following {@code Link} pages. */
  public List<String> tags(ImageReference repo, int pageSize) {
    return all(last -> tagsPage(repo, pageSize, last));
  }

  /**
   * One page of a repository's tags after {@code last}. Registries that ignore {@code n} (distribution
   * 2.8 does for tags) answer everything on one page.
   */
  public Page tagsPage(ImageReference repo, int n, String last) {
    URI uri = url(repo.apiHost(), "/v2/" + repo.repository() + "/tags/list?n=" + n + (last == null ? "" : "&last=" + enc(last)));
    return page(repo, pullScope(repo), uri, "tags", "tags of " + repo.name());
  }

  private static List<String> all(java.util.function.Function<String, Page> fetch) {
    List<String> all = new ArrayList<>();
    String last = null;
    do {
      Page p = fetch.apply(last);
      all.addAll(p.items());
      last = p.next() != null && !p.items().isEmpty() ? p.next() : null;
    } while (last != null);
    return all;
  }

  private Page page(ImageReference target, String scope, URI uri, String field, String what) {
    HttpResponse<byte[]> r = send(target, scope, () -> get(uri), HttpResponse.BodyHandlers.ofByteArray(), what);
    Responses.expect(r, target.name(), what, 200);
    List<String> items = new ArrayList<>();
    try {
      JSON.readTree(r.body()).path(field).forEach(n -> items.add(n.asText()));
    } catch (IOException e) {
      throw new RegistryException(what + ": invalid JSON from " + target.registry());
    }
    String next =
        r.headers().allValues("Link").stream()
            .map(NEXT_LINK::matcher)
            .filter(Matcher::find)
            .map(m -> queryParam(uri.resolve(m.group(1)), "last"))
            .filter(v -> v != null && !v.isEmpty())
            .findFirst()
            .orElse(null);
    return new Page(items, next);
  }

  private static String queryParam(URI uri, String name) {
    String q = uri.getRawQuery();
    if (q == null) {
      return null;
    }
    for (String kv : q.split("&")) {
      int eq = kv.indexOf('=');
      if (eq > 0 && kv.substring(0, eq).equals(name)) {
        return java.net.URLDecoder.decode(kv.substring(eq + 1), StandardCharsets.UTF_8);
      }
    }
    return null;
  }

  /**
   * Checks that the registry ({@code host[:port]}) speaks the distribution API and accepts this
   * client's credentials: {@code GET /v2/}, answering its auth challenge.
   *
   * @throws RegistryAuthenticationException credentials missing or rejected
   * @throws dev.berth.core.runtime.RegistryUnavailableException unreachable or failing
   * @throws RegistryException anything else, e.g. not a registry at all
   */
  public void ping(String registry) {
    ImageReference target = new ImageReference(registry, "_ping", "latest", null);
    URI uri = url(apiHostOf(registry), "/v2/");
    HttpResponse<byte[]> r =
        send(target, "registry:catalog:*", () -> get(uri), HttpResponse.BodyHandlers.ofByteArray(), "version check of " + registry);
    if (r.statusCode() == 404) {
      throw new RegistryException(registry + " does not serve the registry API at /v2/ (404)");
    }
    Responses.expect(r, registry, "version check of " + registry, 200);
  }

  // ---------------------------------------------------------------- plumbing

  /** The host to talk to for a registry name: Docker Hub's API host for {@code docker.io}. */
  public static String apiHostOf(String registry) {
    return ImageReference.DOCKER_HUB.equals(registry) ? "registry-1.docker.io" : registry;
  }

  /** Whether a registry is spoken to over plain HTTP. */
  public boolean isPlainHttp(String apiHost) {
    if (insecure.contains(apiHost)) {
      return true;
    }
    String host = apiHost;
    if (host.startsWith("[")) {
      host = host.substring(1, host.indexOf(']'));
    } else if (host.indexOf(':') >= 0) {
      host = host.substring(0, host.indexOf(':'));
    }
    host = host.toLowerCase(Locale.ROOT);
    return insecure.contains(host)
        || host.equals("localhost")
        || host.startsWith("127.")
        || host.equals("::1");
  }

  private URI url(String apiHost, String pathAndQuery) {
    return URI.create((isPlainHttp(apiHost) ? "http://" : "https://") + apiHost + pathAndQuery);
  }

  private HttpRequest.Builder get(URI uri) {
    return HttpRequest.newBuilder(uri).timeout(requestTimeout).GET();
  }

  private HttpRequest.Builder head(URI uri) {
    return HttpRequest.newBuilder(uri).timeout(requestTimeout).HEAD();
  }

  private static String pullScope(ImageReference ref) {
    return "repository:" + ref.repository() + ":pull";
  }

  private static String pushScope(ImageReference ref) {
    return "repository:" + ref.repository() + ":pull,push";
  }

  /** Sends with cached auth; answers one 401 challenge; a second 401 means rejected credentials. */
  private <T> HttpResponse<T> send(
      ImageReference target,
      String scope,
      Supplier<HttpRequest.Builder> request,
      HttpResponse.BodyHandler<T> handler,
      String what) {
    String registry = target.registry();
    String apiHost = target.apiHost();
    Optional<String> cached = auth.cached(registry, apiHost, scope);
    HttpResponse<T> r = exchange(authorized(request.get(), cached).build(), handler, registry, what);
    if (r.statusCode() != 401) {
      return r;
    }
    Responses.close(r);
    String challenge = r.headers().firstValue("WWW-Authenticate").orElse("");
    String authorization = auth.answer(registry, apiHost, scope, challenge);
    r = exchange(authorized(request.get(), Optional.of(authorization)).build(), handler, registry, what);
    if (r.statusCode() == 401) {
      Responses.close(r);
      auth.invalidate(apiHost, scope);
      throw new RegistryAuthenticationException(
          auth.hasCredentials(registry)
              ? "credentials rejected by " + registry + " for " + what
              : registry + " requires credentials for " + what + " and none are configured");
    }
    return r;
  }

  private static HttpRequest.Builder authorized(HttpRequest.Builder b, Optional<String> authorization) {
    authorization.ifPresent(a -> b.header("Authorization", a));
    return b;
  }

  private <T> HttpResponse<T> exchange(
      HttpRequest request, HttpResponse.BodyHandler<T> handler, String registry, String what) {
    HttpRequest.Builder copy = HttpRequest.newBuilder(request, (n, v) -> true);
    if ("http".equals(request.uri().getScheme())) {
      copy.version(HttpClient.Version.HTTP_1_1);
    }
    try {
      return http.send(copy.build(), handler);
    } catch (IOException e) {
      throw new RegistryUnavailableException(
          "registry " + registry + " is unreachable for " + what + ": " + describe(e), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RegistryUnavailableException("interrupted during " + what, e);
    }
  }

  private static String describe(IOException e) {
    String message = e.getMessage();
    return e.getClass().getSimpleName() + (message == null ? "" : " " + message);
  }

  /** Closes the underlying HTTP client; calls in flight may fail. */
  @Override
  public void close() {
    http.close();
  }
}
