package dev.berth.server.security.signin;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.HttpCookie;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A browser's part in signing in, over plain HTTP: keeps cookies, fills the sign-in form with its
 * CSRF token, and follows redirects one by one so that tests can look at each hop (at most 10).
 */
public final class PortalClient {
  private static final Pattern CSRF = Pattern.compile("name=\"_csrf\"\\s+value=\"([^\"]+)\"");
  private static final int MAX_HOPS = 10;

  final URI base;
  final CookieManager cookies = new CookieManager(null, CookiePolicy.ACCEPT_ALL);
  final HttpClient http;

  /** Every response of the last {@link #follow} or {@link #signIn}, first to last. */
  public final List<HttpResponse<String>> hops = new ArrayList<>();

  public PortalClient(int port) {
    this.base = URI.create("http://127.0.0.1:" + port);
    this.http =
        HttpClient.newBuilder()
            .cookieHandler(cookies)
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
  }

  public HttpResponse<String> get(String pathOrUrl, String... headers) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(base.resolve(pathOrUrl)).GET().header("Accept", "text/html");
    if (headers.length > 0) {
      b.headers(headers);
    }
    return send(b.build());
  }

  /** GETs the sign-in page, then posts the form; returns the answer to the post (a redirect). */
  public HttpResponse<String> postSignIn(String user, String password, String... headers) {
    return postForm("/signin", "/signin", Map.of("username", user, "password", password), headers);
  }

  /**
   * Posts a form to {@code action} as a page's form would: with the CSRF token of the page at
   * {@code pagePath}. Returns the answer to the post itself (often a redirect); does not follow it.
   */
  public HttpResponse<String> postForm(
      String pagePath, String action, Map<String, String> fields, String... headers) {
    HttpResponse<String> page = get(pagePath);
    Matcher m = CSRF.matcher(page.body());
    if (!m.find()) {
      throw new AssertionError(
          "no CSRF field on " + pagePath + " (" + page.statusCode() + "): " + page.body());
    }
    Map<String, String> all = new java.util.LinkedHashMap<>(fields);
    all.put("_csrf", m.group(1));
    String form =
        all.entrySet().stream()
            .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
            .collect(Collectors.joining("&"));
    HttpRequest.Builder b =
        HttpRequest.newBuilder(base.resolve(action))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .header("Accept", "text/html")
            .POST(HttpRequest.BodyPublishers.ofString(form));
    if (headers.length > 0) {
      b.headers(headers);
    }
    return send(b.build());
  }

  /**
   * Signs in and follows the redirects; returns the last page (e.g. the sign-in page with a
   * message).
   */
  public HttpResponse<String> signIn(String user, String password) {
    return signIn(user, password, new String[0]);
  }

  /** Like {@link #signIn(String, String)}, the form's post with these extra headers. */
  public HttpResponse<String> signIn(String user, String password, String... headers) {
    hops.clear();
    HttpResponse<String> r = postSignIn(user, password, headers);
    hops.add(r);
    return followFrom(r);
  }

  /** GETs the path and follows redirects, also to other hosts (the identity provider). */
  public HttpResponse<String> follow(String pathOrUrl) {
    hops.clear();
    HttpResponse<String> r = get(pathOrUrl);
    hops.add(r);
    return followFrom(r);
  }

  /**
   * Posts the sign-out form with the session's CSRF token (from the test app's {@code /test/csrf}).
   */
  public HttpResponse<String> signOut() {
    String csrfFromPage = get("/test/csrf").body();
    HttpRequest request =
        HttpRequest.newBuilder(base.resolve("/signout"))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .header("Accept", "text/html")
            .POST(
                HttpRequest.BodyPublishers.ofString(
                    "_csrf=" + URLEncoder.encode(csrfFromPage, StandardCharsets.UTF_8)))
            .build();
    return send(request);
  }

  public Optional<String> sessionId() {
    return cookies.getCookieStore().get(base).stream()
        .filter(c -> c.getName().equals("JSESSIONID"))
        .map(HttpCookie::getValue)
        .findFirst();
  }

  private HttpResponse<String> followFrom(HttpResponse<String> r) {
    for (int i = 0; i < MAX_HOPS && r.statusCode() / 100 == 3; i++) {
      URI next = r.uri().resolve(r.headers().firstValue("Location").orElseThrow());
      r = send(HttpRequest.newBuilder(next).GET().header("Accept", "text/html").build());
      hops.add(r);
    }
    return r;
  }

  private HttpResponse<String> send(HttpRequest request) {
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
