package dev.berth.server.image;

import dev.berth.core.runtime.RegistryUnavailableException;
import dev.berth.core.support.ConflictException;
import dev.berth.core.support.NotFoundException;
import dev.berth.core.support.ValidationException;
import dev.berth.core.support.ValidationException.FieldError;
import dev.berth.oci.registry.Credentials;
import dev.berth.oci.registry.RegistryAuthenticationException;
import dev.berth.oci.registry.RegistryClient;
import dev.berth.oci.registry.RegistryException;
import dev.berth.server.support.crypto.SecretBox;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The registries Berth knows: add (checked before stored), list, test, remove. Passwords are sealed
 * with {@link SecretBox} at rest and opened only to build a registry's client; no view, log line or
 * error message carries them. Keeps one {@link RegistryClient} per registry (its credentials, plain
 * HTTP for {@code http://} URLs). Thread-safe.
 */
public class RegistryDirectory implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(RegistryDirectory.class);
  private static final Pattern NAME = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");

  /** What the API and portal show of a registry: never a password. */
  public record View(
      String name,
      String url,
      String host,
      String username,
      boolean hasPassword,
      String createdBy,
      Instant createdAt) {}

  /** The result of a connection test. */
  public record Check(boolean ok, String status, String message) {}

  private final JdbcImageStore store;
  private final SecretBox secrets;
  private final Clock clock;
  private final Function<RegistryDirectory, RegistryClient.Builder> clients;
  private final Map<String, RegistryClient> byName = new ConcurrentHashMap<>();

  /**
   * @param clients a fresh client builder (timeouts, clock) for each registry's client
   */
  public RegistryDirectory(
      JdbcImageStore store,
      SecretBox secrets,
      Clock clock,
      Function<RegistryDirectory, RegistryClient.Builder> clients) {
    this.store = store;
    this.secrets = secrets;
    this.clock = clock;
    this.clients = clients;
  }

  /**
   * Adds a registry after checking that it answers with the given credentials.
   *
   * @throws ValidationException bad name or URL, or the check failed (naming {@code url} or {@code
   *     password})
   * @throws ConflictException the name or host is taken
   */
  public View add(String name, String url, String username, String password, String actor) {
    List<FieldError> errors = new ArrayList<>();
    if (name == null || !NAME.matcher(name).matches()) {
      errors.add(
          new FieldError(
              "name",
              "must be a DNS-1123 label (lower-case letters, digits, '-'; at most 63), was "
                  + quote(name)));
    }
    URI uri = parseUrl(url, errors);
    boolean hasUser = username != null && !username.isBlank();
    boolean hasPassword = password != null && !password.isEmpty();
    if (hasUser != hasPassword) {
      errors.add(
          new FieldError(
              hasUser ? "password" : "username",
              "is required when " + (hasUser ? "username" : "password") + " is given"));
    }
    if (!errors.isEmpty()) {
      throw new ValidationException(errors);
    }
    String host = uri.getAuthority().toLowerCase(java.util.Locale.ROOT);
    if (store.registry(name).isPresent()) {
      throw new ConflictException("registry '" + name + "' already exists");
    }
    String normalised = uri.getScheme() + "://" + host;
    RegistryRecord record =
        new RegistryRecord(
            name,
            normalised,
            host,
            hasUser ? username : null,
            hasPassword ? secrets.seal(password, purpose(name)) : null,
            actor,
            clock.instant());
    RegistryClient client =
        build(record, hasUser ? new Credentials.UsernamePassword(username, password) : null);
    Check check = check(client, host);
    if (!check.ok()) {
      client.close();
      String field = "Unauthorized".equals(check.status()) ? "password" : "url";
      throw ValidationException.of(field, check.message());
    }
    try {
      store.createRegistry(record);
    } catch (RuntimeException e) {
      client.close();
      throw e;
    }
    replace(name, client);
    LOG.info("registry {} added at {} by {}", name, normalised, actor);
    return view(record);
  }

  /** Checks the connection of a stored registry. */
  public Check test(String name) {
    RegistryRecord r = record(name);
    return check(client(name), r.host());
  }

  /**
   * Removes a registry. Refused while a replication rule uses it. The confirmation (the name typed
   * back) is {@link ImageOperations}'s, after its permission check.
   */
  public void remove(String name, List<String> rulesUsingIt, String actor) {
    record(name);
    if (!rulesUsingIt.isEmpty()) {
      throw new ConflictException(
          "registry '"
              + name
              + "' is used by replication rule(s) "
              + String.join(", ", rulesUsingIt)
              + "; delete them first");
    }
    store.deleteRegistry(name);
    replace(name, null);
    LOG.info("registry {} removed by {}", name, actor);
  }

  public List<View> views() {
    return store.registries().stream().map(RegistryDirectory::view).toList();
  }

  public View view(String name) {
    return view(record(name));
  }

  /** The client of a registry, with its credentials. */
  public RegistryClient client(String name) {
    return byName.computeIfAbsent(name, n -> build(record(n), credentials(record(n)).orElse(null)));
  }

  /** The {@code host[:port]} image references use for this registry. */
  public String host(String name) {
    return record(name).host();
  }

  /** The registry at an image reference's {@code host[:port]}, if Berth knows it. */
  public Optional<String> nameOfHost(String host) {
    return store.registries().stream()
        .filter(r -> r.host().equalsIgnoreCase(host))
        .map(RegistryRecord::name)
        .findFirst();
  }

  /**
   * The credentials Berth holds for a registry host ({@code host[:port]} as in image references),
   * for pulls and pushes made outside this directory (the local runtime, image builds).
   */
  public Optional<Credentials.UsernamePassword> credentialsFor(String host) {
    return store.registries().stream()
        .filter(r -> r.host().equalsIgnoreCase(host))
        .findFirst()
        .flatMap(this::credentials);
  }

  /** The hosts of registries reached over plain HTTP. */
  public List<String> plainHttpHosts() {
    return store.registries().stream()
        .filter(RegistryRecord::plainHttp)
        .map(RegistryRecord::host)
        .toList();
  }

  RegistryRecord record(String name) {
    return store.registry(name).orElseThrow(() -> new NotFoundException("registry", name));
  }

  private Optional<Credentials.UsernamePassword> credentials(RegistryRecord r) {
    if (r.username() == null || r.sealedPassword() == null) {
      return Optional.empty();
    }
    return Optional.of(
        new Credentials.UsernamePassword(
            r.username(), secrets.open(r.sealedPassword(), purpose(r.name()))));
  }

  private RegistryClient build(RegistryRecord r, Credentials.UsernamePassword up) {
    RegistryClient.Builder b = clients.apply(this);
    if (up != null) {
      b.credentials(Credentials.of(Map.of(r.host(), up)));
    }
    if (r.plainHttp()) {
      b.insecureRegistries(List.of(r.host()));
    }
    return b.build();
  }

  private void replace(String name, RegistryClient client) {
    RegistryClient old = client == null ? byName.remove(name) : byName.put(name, client);
    if (old != null && old != client) {
      old.close();
    }
  }

  private static Check check(RegistryClient client, String host) {
    try {
      client.ping(host);
      return new Check(true, "Ready", "the registry answers and accepts the credentials");
    } catch (RegistryAuthenticationException e) {
      return new Check(false, "Unauthorized", e.getMessage() + "; check username and password");
    } catch (RegistryUnavailableException e) {
      return new Check(
          false, "Unreachable", e.getMessage() + "; check the URL and that the registry runs");
    } catch (RegistryException e) {
      return new Check(false, "Failing", e.getMessage());
    }
  }

  private static URI parseUrl(String url, List<FieldError> errors) {
    String hint =
        "must be the registry's base URL, http:// or https:// with host and optional port, e.g. https://registry.example.com or http://127.0.0.1:5000";
    if (url == null || url.isBlank()) {
      errors.add(new FieldError("url", hint));
      return null;
    }
    try {
      URI u = URI.create(url.strip().replaceAll("/+$", ""));
      boolean ok =
          ("http".equals(u.getScheme()) || "https".equals(u.getScheme()))
              && u.getHost() != null
              && (u.getPath() == null || u.getPath().isEmpty())
              && u.getQuery() == null
              && u.getUserInfo() == null;
      if (!ok) {
        errors.add(new FieldError("url", hint + ", was " + quote(url)));
        return null;
      }
      return u;
    } catch (IllegalArgumentException e) {
      errors.add(new FieldError("url", hint + ", was " + quote(url)));
      return null;
    }
  }

  private static View view(RegistryRecord r) {
    return new View(
        r.name(),
        r.url(),
        r.host(),
        r.username(),
        r.sealedPassword() != null,
        r.createdBy(),
        r.createdAt());
  }

  private static String purpose(String name) {
    return "registry:" + name;
  }

  private static String quote(String s) {
    return s == null ? "nothing" : "'" + s + "'";
  }

  @Override
  public void close() {
    byName.values().forEach(RegistryClient::close);
    byName.clear();
  }
}
