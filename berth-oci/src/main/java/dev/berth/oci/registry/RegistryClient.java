package dev.berth.oci.registry;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.core.runtime.ImageNotFoundException;
import dev.berth.core.runtime.RegistryUnavailableException;
import dev.berth.core.time.Scheduler;
import dev.berth.core.time.SystemScheduler;
import dev.berth.oci.DigestVerifyingInputStream;
import dev.berth.oci.Digests;
import dev.berth.oci.ImageContentException;
import dev.berth.oci.ImageReference;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A client of the OCI distribution API (Docker Registry HTTP API v2): manifests, blobs, catalog and
 * tags on {@code java.net.http}, blob bytes streamed over plain blocking connections ({@code
 * BlobStreams}), uploads and mounts in {@link BlobUploads}; anonymous, HTTP basic and bearer-token
 * auth driven by the registry's {@code WWW-Authenticate} challenge. Loopback registries and the
 * configured insecure ones are spoken to over plain HTTP, all others over HTTPS.
 *
 * <p>Thread-safe; meant to be shared. Every call blocks the calling thread (virtual threads
 * welcome) and is bounded by the connect and request timeouts (for uploads: the transfer timeout).
 *
 * <p>Failures: a missing repository, tag, manifest or blob is an {@link ImageNotFoundException}
 * naming the reference; an unreachable registry, timeout, 5xx or 429 a {@link
 * RegistryUnavailableException}; rejected or missing credentials a {@link
 * RegistryAuthenticationException}; bytes not matching their digest an {@link
 * ImageContentException}; any other unexpected answer a {@link RegistryException}.
 */
public final class RegistryClient implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern NEXT_LINK = Pattern.compile("<([^>]+)>\\s*;\\s*rel=\"?next\"?");

  private final RegistryHttp http;
  private final BlobStreams streams;
  private final BlobUploads uploads;

  private RegistryClient(Builder b) {
    Scheduler scheduler = b.scheduler != null ? b.scheduler : SharedScheduler.INSTANCE;
    this.http =
        new RegistryHttp(
            b.credentials,
            scheduler,
            b.insecure,
            b.connectTimeout,
            b.requestTimeout,
            b.transferTimeout);
    this.streams = new BlobStreams(http, scheduler);
    this.uploads = new BlobUploads(http, streams, this);
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * The scheduler of clients built without one: created on first use, never closed (daemon thread).
   */
  private static final class SharedScheduler {
    static final SystemScheduler INSTANCE = new SystemScheduler("berth-registry");
  }

  /** An anonymous client with default timeouts, using the system clock for token expiry. */
  public static RegistryClient anonymous() {
    return builder().build();
  }

  /** Configures a {@link RegistryClient}. Not thread-safe. */
  public static final class Builder {
    private Credentials credentials = Credentials.anonymous();
    private Scheduler scheduler;
    private Set<String> insecure = Set.of();
    private Duration connectTimeout = Duration.ofSeconds(10);
    private Duration requestTimeout = Duration.ofSeconds(30);
    private Duration transferTimeout = Duration.ofMinutes(30);

    public Builder credentials(Credentials credentials) {
      this.credentials = credentials;
      return this;
    }

    /**
     * The time for bearer-token expiry and the timer of the upload watchdog (no byte moved for the
     * request timeout). Without one, clients share one system scheduler.
     */
    public Builder scheduler(Scheduler scheduler) {
      this.scheduler = scheduler;
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
    URI uri =
        http.url(
            ref.apiHost(), "/v2/" + ref.repository() + "/manifests/" + ref.manifestReference());
    HttpResponse<byte[]> r =
        http.send(
            ref,
            pullScope(ref),
            () -> http.get(uri).header("Accept", MediaTypes.MANIFEST_ACCEPT),
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
          "index entry "
              + entry.digest()
              + " of "
              + ref
              + " for "
              + platform
              + " is another index");
    }
    return image;
  }

  /**
   * The digest of what the reference names (an index's own digest for a multi-platform image), from
   * {@code Docker-Content-Digest} of a HEAD, else from the body of a GET.
   */
  public String headManifest(ImageReference ref) {
    URI uri =
        http.url(
            ref.apiHost(), "/v2/" + ref.repository() + "/manifests/" + ref.manifestReference());
    HttpResponse<Void> r =
        http.send(
            ref,
            pullScope(ref),
            () -> http.head(uri).header("Accept", MediaTypes.MANIFEST_ACCEPT),
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
    URI uri =
        http.url(
            ref.apiHost(), "/v2/" + ref.repository() + "/manifests/" + ref.manifestReference());
    HttpResponse<Void> r =
        http.send(
            ref,
            pullScope(ref),
            () -> http.head(uri).header("Accept", MediaTypes.MANIFEST_ACCEPT),
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
    URI uri =
        http.url(
            ref.apiHost(), "/v2/" + ref.repository() + "/manifests/" + ref.manifestReference());
    HttpResponse<byte[]> r =
        http.send(
            ref,
            pushScope(ref),
            () ->
                HttpRequest.newBuilder(uri)
                    .timeout(http.requestTimeout)
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
   * throws {@link ImageContentException} on a mismatch; a connection that drops mid-way throws
   * {@link RegistryUnavailableException} from a read. The caller closes the stream.
   */
  public InputStream openBlob(ImageReference repo, String digest) {
    Digests.requireSha256(digest);
    String what = "blob " + digest + " of " + repo.name();
    URI uri = http.url(repo.apiHost(), "/v2/" + repo.repository() + "/blobs/" + digest);
    return new DigestVerifyingInputStream(streams.open(repo, uri, what), digest, what);
  }

  /** Whether the repository has the blob. */
  public boolean hasBlob(ImageReference repo, String digest) {
    Digests.requireSha256(digest);
    URI uri = http.url(repo.apiHost(), "/v2/" + repo.repository() + "/blobs/" + digest);
    String what = "blob " + digest + " of " + repo.name();
    HttpResponse<Void> r =
        http.send(
            repo,
            pullScope(repo),
            () -> http.head(uri),
            HttpResponse.BodyHandlers.discarding(),
            what);
    if (r.statusCode() == 404) {
      return false;
    }
    if (Responses.isRedirect(r.statusCode())) {
      return true;
    }
    Responses.expect(r, repo.name() + "@" + digest, what, 200);
    return true;
  }

  /** Blob uploads and mounts into this client's registries. */
  public BlobUploads uploads() {
    return uploads;
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
    URI uri =
        http.url(
            apiHostOf(registry),
            "/v2/_catalog?n=" + n + (last == null ? "" : "&last=" + enc(last)));
    return page(target, "registry:catalog:*", uri, "repositories", "catalog of " + registry);
  }

  /** All tags of a repository, following {@code Link} pages. */
  public List<String> tags(ImageReference repo, int pageSize) {
    return all(last -> tagsPage(repo, pageSize, last));
  }

  /**
   * One page of a repository's tags after {@code last}. Registries that ignore {@code n}
   * (distribution 2.8 does for tags) answer everything on one page.
   */
  public Page tagsPage(ImageReference repo, int n, String last) {
    URI uri =
        http.url(
            repo.apiHost(),
            "/v2/"
                + repo.repository()
                + "/tags/list?n="
                + n
                + (last == null ? "" : "&last=" + enc(last)));
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
    HttpResponse<byte[]> r =
        http.send(
            target, scope, () -> http.get(uri), HttpResponse.BodyHandlers.ofByteArray(), what);
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
    URI uri = http.url(apiHostOf(registry), "/v2/");
    HttpResponse<byte[]> r =
        http.send(
            target,
            "registry:catalog:*",
            () -> http.get(uri),
            HttpResponse.BodyHandlers.ofByteArray(),
            "version check of " + registry);
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

  /**
   * Whether an I/O failure is a connection that dropped (reset, closed before or during an answer),
   * not a refused connection, a timeout, an unknown host or a failed TLS handshake.
   */
  public static boolean isDroppedConnection(Throwable e) {
    return e instanceof IOException
        && !(e instanceof java.net.ConnectException
            || e instanceof java.net.http.HttpTimeoutException
            || e instanceof java.net.SocketTimeoutException
            || e instanceof java.net.UnknownHostException
            || e instanceof javax.net.ssl.SSLHandshakeException);
  }

  /** Whether a registry is spoken to over plain HTTP: loopback and the configured insecure ones. */
  public boolean isPlainHttp(String apiHost) {
    return http.isPlainHttp(apiHost);
  }

  private static String pullScope(ImageReference ref) {
    return RegistryHttp.pullScope(ref);
  }

  private static String pushScope(ImageReference ref) {
    return RegistryHttp.pushScope(ref);
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  /** Closes the underlying HTTP client; calls in flight may fail. */
  @Override
  public void close() {
    http.close();
  }
}
