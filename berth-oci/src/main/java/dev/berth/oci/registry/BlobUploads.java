package dev.berth.oci.registry;

import dev.berth.oci.Digests;
import dev.berth.oci.ImageReference;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Blob uploads into a registry ({@link RegistryClient#uploads()}): a {@code POST} opens the upload,
 * then either one streamed monolithic {@code PUT} with the digest and {@code Content-Length} (the
 * default: two requests per blob), or {@code PATCH} chunks and a closing {@code PUT} for targets
 * behind proxies that limit request bodies; and cross-repository mounts within one registry. A body
 * is read once and never held whole in memory (a chunked upload holds one chunk).
 *
 * <p>Only the {@code POST} is sent again when its connection drops: a cut {@code PUT} may have been
 * stored already, so the caller checks with {@link RegistryClient#hasBlob} before uploading again.
 * Thread-safe; failures as in {@link RegistryClient}.
 */
public final class BlobUploads {
  private final RegistryHttp http;
  private final BlobStreams streams;
  private final RegistryClient client;

  BlobUploads(RegistryHttp http, BlobStreams streams, RegistryClient client) {
    this.http = http;
    this.streams = streams;
    this.client = client;
  }

  /** Uploads a blob from a file unless the repository has it. */
  public void pushFile(ImageReference repo, String digest, Path file) {
    Digests.requireSha256(digest);
    if (client.hasBlob(repo, digest)) {
      return;
    }
    try (InputStream in = Files.newInputStream(file)) {
      pushStream(repo, digest, Files.size(file), in);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read blob file " + file, e);
    }
  }

  /** Uploads a blob held in memory (configs, small layers) unless present; returns its digest. */
  public String pushBytes(ImageReference repo, byte[] content) {
    String digest = Digests.sha256(content);
    if (!client.hasBlob(repo, digest)) {
      pushStream(repo, digest, content.length, new ByteArrayInputStream(content));
    }
    return digest;
  }

  /**
   * Streams a blob of {@code size} bytes (negative: unknown, sent chunked) into the repository in
   * one monolithic PUT, reading {@code content} once. Does not check whether the blob is already
   * there (call {@link RegistryClient#hasBlob} first). The caller closes the stream.
   */
  public void pushStream(ImageReference repo, String digest, long size, InputStream content) {
    Digests.requireSha256(digest);
    String what = "upload of " + digest + " to " + repo.name();
    URI location = open(repo, what);
    streams.put(repo, withDigest(location, digest), size, content, what);
  }

  /**
   * Streams a blob into the repository in chunks of at most {@code chunkSize} bytes (one {@code
   * PATCH} each, then the closing {@code PUT} with the digest). Holds one chunk in memory at a
   * time.
   */
  public void pushChunked(ImageReference repo, String digest, InputStream content, int chunkSize) {
    Digests.requireSha256(digest);
    if (chunkSize <= 0) {
      throw new IllegalArgumentException("chunkSize must be > 0, was " + chunkSize);
    }
    String what = "chunked upload of " + digest + " to " + repo.name();
    URI location = open(repo, what);
    byte[] chunk = new byte[chunkSize];
    long offset = 0;
    try {
      int n;
      while ((n = content.readNBytes(chunk, 0, chunkSize)) > 0) {
        URI at = location;
        String range = offset + "-" + (offset + n - 1);
        byte[] body = n == chunkSize ? chunk : Arrays.copyOf(chunk, n);
        HttpResponse<byte[]> r =
            http.send(
                repo,
                RegistryHttp.pushScope(repo),
                () ->
                    HttpRequest.newBuilder(at)
                        .timeout(http.transferTimeout)
                        .header("Content-Type", "application/octet-stream")
                        .header("Content-Range", range)
                        .method("PATCH", HttpRequest.BodyPublishers.ofByteArray(body)),
                HttpResponse.BodyHandlers.ofByteArray(),
                what,
                false);
        Responses.expect(r, repo.name(), what, 202);
        location = nextLocation(at, r, what);
        offset += n;
      }
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot read the content of " + digest + " for " + repo.name(), e);
    }
    URI put = withDigest(location, digest);
    HttpResponse<byte[]> done =
        http.send(
            repo,
            RegistryHttp.pushScope(repo),
            () ->
                HttpRequest.newBuilder(put)
                    .timeout(http.transferTimeout)
                    .header("Content-Type", "application/octet-stream")
                    .PUT(HttpRequest.BodyPublishers.noBody()),
            HttpResponse.BodyHandlers.ofByteArray(),
            what,
            false);
    Responses.expect(done, repo.name(), what, 201);
  }

  /**
   * Asks the registry to mount a blob of another of its repositories into this one, without copying
   * bytes. Returns false when the registry does not mount (it then opens an ordinary upload, which
   * is cancelled here) so the caller uploads instead.
   */
  public boolean mount(ImageReference repo, String digest, String fromRepository) {
    Digests.requireSha256(digest);
    String what = "mount of " + digest + " from " + fromRepository + " into " + repo.name();
    URI start =
        http.url(
            repo.apiHost(),
            "/v2/"
                + repo.repository()
                + "/blobs/uploads/?mount="
                + enc(digest)
                + "&from="
                + enc(fromRepository));
    HttpResponse<byte[]> r =
        http.send(
            repo,
            RegistryHttp.pushScope(repo) + " repository:" + fromRepository + ":pull",
            () ->
                HttpRequest.newBuilder(start)
                    .timeout(http.requestTimeout)
                    .POST(HttpRequest.BodyPublishers.noBody()),
            HttpResponse.BodyHandlers.ofByteArray(),
            what);
    if (r.statusCode() == 201) {
      return true;
    }
    Responses.expect(r, repo.name(), what, 202);
    r.headers().firstValue("Location").ifPresent(l -> cancel(repo, start.resolve(l), what));
    return false;
  }

  private void cancel(ImageReference repo, URI location, String what) {
    try {
      http.send(
          repo,
          RegistryHttp.pushScope(repo),
          () -> HttpRequest.newBuilder(location).timeout(http.requestTimeout).DELETE(),
          HttpResponse.BodyHandlers.discarding(),
          what);
    } catch (RuntimeException e) {
      // an abandoned upload is purged by the registry; nothing depends on it
    }
  }

  /**
   * Opens an upload (a repeated POST only leaves an unused upload behind, which the registry
   * purges).
   */
  private URI open(ImageReference repo, String what) {
    URI start = http.url(repo.apiHost(), "/v2/" + repo.repository() + "/blobs/uploads/");
    HttpResponse<byte[]> opened =
        http.send(
            repo,
            RegistryHttp.pushScope(repo),
            () ->
                HttpRequest.newBuilder(start)
                    .timeout(http.requestTimeout)
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

  private static URI withDigest(URI location, String digest) {
    return URI.create(
        location + (location.getRawQuery() == null ? "?" : "&") + "digest=" + enc(digest));
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
