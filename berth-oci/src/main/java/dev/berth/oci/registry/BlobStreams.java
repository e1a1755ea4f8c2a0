package dev.berth.oci.registry;

import dev.berth.core.runtime.RegistryUnavailableException;
import dev.berth.core.time.Scheduler;
import dev.berth.oci.ImageContentException;
import dev.berth.oci.ImageReference;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.Proxy;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Blob bytes over blocking HTTP/1.1 connections ({@link HttpURLConnection}): a download and a
 * streamed upload each run on the calling (virtual) thread with a {@value #BUFFER}-byte buffer,
 * with no hand-off between threads per socket read. The bench showed {@code java.net.http}'s {@code
 * ofInputStream} publisher and subscriber (16 KiB buffers, one queued buffer at a time) moving a
 * 100 MB layer about half as fast as this. Everything else (manifests, HEADs, listings, tokens)
 * stays on {@link RegistryHttp}.
 *
 * <p>A download gives up when no byte arrives for the request timeout; an upload when no byte moves
 * for the request timeout (a watchdog closes its connection). Same credentials and error mapping as
 * {@link RegistryHttp}. Thread-safe.
 */
final class BlobStreams {
  static final int BUFFER = 128 * 1024;
  private static final int MAX_REDIRECTS = 5;

  private final RegistryHttp http;
  private final Scheduler scheduler;

  /**
   * @param scheduler runs the upload watchdog
   */
  BlobStreams(RegistryHttp http, Scheduler scheduler) {
    this.http = http;
    this.scheduler = scheduler;
  }

  /**
   * Opens a blob for reading after {@code 200}, following redirects (without our credentials when
   * they leave the registry's origin). A dropped connection before the answer is tried again; one
   * that drops while the body streams surfaces as {@link RegistryUnavailableException} from a read.
   */
  InputStream open(ImageReference repo, URI uri, String what) {
    String scope = RegistryHttp.pullScope(repo);
    Optional<String> authorization = http.auth.cached(repo.registry(), repo.apiHost(), scope);
    boolean challenged = false;
    URI current = uri;
    for (int hops = 0, drops = 0; ; ) {
      boolean ours = Responses.sameOrigin(current, uri);
      HttpURLConnection c = connection(current, "GET", ours ? authorization : Optional.empty());
      c.setReadTimeout(millis(http.requestTimeout));
      int status;
      try {
        status = c.getResponseCode();
      } catch (IOException e) {
        c.disconnect();
        if (drops++ == RegistryHttp.DROPPED_CONNECTION_RETRIES || !RegistryHttp.dropped(e)) {
          throw RegistryHttp.unreachable(repo.registry(), what, e);
        }
        continue;
      }
      if (status == 401 && ours) {
        String challenge = Optional.ofNullable(c.getHeaderField("WWW-Authenticate")).orElse("");
        discard(c);
        if (challenged) {
          http.auth.invalidate(repo.apiHost(), scope);
          throw http.rejected(repo.registry(), what);
        }
        challenged = true;
        authorization =
            Optional.of(http.auth.answer(repo.registry(), repo.apiHost(), scope, challenge));
        continue;
      }
      if (Responses.isRedirect(status)) {
        String location = c.getHeaderField("Location");
        discard(c);
        if (location == null) {
          throw new RegistryException(what + ": redirect without Location");
        }
        if (++hops > MAX_REDIRECTS) {
          throw new RegistryException(what + ": more than " + MAX_REDIRECTS + " redirects");
        }
        current = current.resolve(location);
        continue;
      }
      if (status != 200) {
        fail(c, status, repo.name(), what, 200);
      }
      try {
        return new Dropping(c.getInputStream(), c, repo.registry(), what);
      } catch (IOException e) {
        c.disconnect();
        throw RegistryHttp.unreachable(repo.registry(), what, e);
      }
    }
  }

  /**
   * Streams {@code size} bytes (or, when negative, everything) of {@code content} as the body of a
   * PUT to an upload location and expects {@code 201}. With a known size, the end of {@code
   * content} is read before the last buffer goes out, so content that fails its digest at its end
   * never completes the request. The push token must already be cached (the upload's POST got it):
   * a body streamed once cannot answer a challenge.
   */
  void put(ImageReference repo, URI uri, long size, InputStream content, String what) {
    String scope = RegistryHttp.pushScope(repo);
    HttpURLConnection c =
        connection(uri, "PUT", http.auth.cached(repo.registry(), repo.apiHost(), scope));
    c.setDoOutput(true);
    c.setRequestProperty("Content-Type", "application/octet-stream");
    c.setReadTimeout(
        millis(http.transferTimeout)); // the answer comes once the registry has stored everything
    if (size >= 0) {
      c.setFixedLengthStreamingMode(size);
    } else {
      c.setChunkedStreamingMode(BUFFER);
    }
    AtomicLong moved = new AtomicLong();
    Scheduler.Cancellable watchdog = watch(c, moved);
    boolean sent = false;
    try {
      try {
        OutputStream out = c.getOutputStream();
        copy(content, out, size, moved, what);
        out.close(); // only now: closing a chunked body after a failure would end it as if complete
      } finally {
        watchdog.cancel();
      }
      sent = true;
      int status = c.getResponseCode();
      if (status == 401) {
        discard(c);
        http.auth.invalidate(repo.apiHost(), scope);
        throw new RegistryUnavailableException(
            what
                + ": the registry asked for credentials again during the upload "
                + "(token expired); the copy is repeated",
            null);
      }
      if (status != 201) {
        fail(c, status, repo.name(), what, 201);
      }
      discard(c);
    } catch (IOException e) {
      if (!sent) {
        earlyAnswer(c, repo.name(), what); // e.g. 413 from a proxy that stopped reading the body
      }
      c.disconnect();
      throw RegistryHttp.unreachable(
          repo.registry(), what + (sent ? "" : " (while sending the body)"), e);
    } catch (RuntimeException e) {
      c.disconnect(); // never let a partial body end as a complete request
      throw e;
    }
  }

  private static void copy(
      InputStream content, OutputStream out, long size, AtomicLong moved, String what)
      throws IOException {
    byte[] buf = new byte[BUFFER];
    long total = 0;
    if (size == 0) {
      requireEnd(content, size, what);
    }
    while (size < 0 || total < size) {
      int n =
          content.readNBytes(
              buf, 0, size < 0 ? buf.length : (int) Math.min(buf.length, size - total));
      if (n == 0) {
        if (size < 0) {
          return;
        }
        throw new ImageContentException(
            what + ": the content ended after " + total + " of " + size + " bytes");
      }
      total += n;
      if (total == size) {
        requireEnd(
            content, size, what); // a digest mismatch surfaces here, before the last bytes go out
      }
      out.write(buf, 0, n);
      moved.addAndGet(n);
    }
  }

  private static void requireEnd(InputStream content, long size, String what) throws IOException {
    if (content.read() >= 0) {
      throw new ImageContentException(what + ": the content is longer than its " + size + " bytes");
    }
  }

  /** Closes the connection when no byte has moved for the request timeout. */
  private Scheduler.Cancellable watch(HttpURLConnection c, AtomicLong moved) {
    Duration every = Duration.ofMillis(Math.max(1, http.requestTimeout.toMillis()));
    long[] last = {-1};
    return scheduler.scheduleWithFixedDelay(
        every,
        every,
        () -> {
          long now = moved.get();
          if (now == last[0]) {
            c.disconnect();
          }
          last[0] = now;
        });
  }

  /** Throws what an error answer sent before the body was complete says, if there is one. */
  private static void earlyAnswer(HttpURLConnection c, String reference, String what) {
    int status;
    try {
      status = c.getResponseCode();
    } catch (IOException | RuntimeException e) {
      return;
    }
    if (status >= 400) {
      fail(c, status, reference, what, 201);
    }
  }

  private HttpURLConnection connection(URI uri, String method, Optional<String> authorization) {
    try {
      HttpURLConnection c = (HttpURLConnection) uri.toURL().openConnection(Proxy.NO_PROXY);
      c.setRequestMethod(method);
      c.setInstanceFollowRedirects(false);
      c.setUseCaches(false);
      c.setConnectTimeout(millis(http.connectTimeout));
      authorization.ifPresent(a -> c.setRequestProperty("Authorization", a));
      return c;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open a connection to " + uri, e);
    }
  }

  private static void fail(
      HttpURLConnection c, int status, String reference, String what, int expected) {
    String body = "";
    try (InputStream err = c.getErrorStream()) {
      if (err != null) {
        body = new String(err.readNBytes(4096), StandardCharsets.UTF_8);
      }
    } catch (IOException ignored) {
      // the status says enough
    }
    c.disconnect();
    Responses.expect(status, body, c.getURL().getAuthority(), reference, what, expected);
  }

  /** Reads what is left of a short answer so the connection can be used again. */
  private static void discard(HttpURLConnection c) {
    try (InputStream in = c.getResponseCode() >= 400 ? c.getErrorStream() : c.getInputStream()) {
      if (in != null) {
        in.skip(Long.MAX_VALUE);
      }
    } catch (IOException e) {
      c.disconnect();
    }
  }

  private static int millis(java.time.Duration d) {
    return (int) Math.min(Integer.MAX_VALUE, Math.max(1, d.toMillis()));
  }

  /** A body stream whose I/O failures say which registry dropped the connection. */
  private static final class Dropping extends FilterInputStream {
    private final HttpURLConnection connection;
    private final String registry;
    private final String what;

    Dropping(InputStream in, HttpURLConnection connection, String registry, String what) {
      super(in);
      this.connection = connection;
      this.registry = registry;
      this.what = what;
    }

    @Override
    public int read() throws IOException {
      try {
        return in.read();
      } catch (IOException e) {
        throw dropped(e);
      }
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      try {
        return in.read(b, off, len);
      } catch (IOException e) {
        throw dropped(e);
      }
    }

    private RuntimeException dropped(IOException e) {
      connection.disconnect();
      return RegistryHttp.unreachable(registry, what, e);
    }
  }
}
