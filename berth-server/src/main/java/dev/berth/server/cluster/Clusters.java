package dev.berth.server.cluster;

import dev.berth.core.app.AppStore;
import dev.berth.core.cluster.Cluster;
import dev.berth.core.cluster.ClusterRegistry;
import dev.berth.core.runtime.ClusterRuntime;
import dev.berth.core.support.ConflictException;
import dev.berth.core.support.NotFoundException;
import dev.berth.core.support.ValidationException;
import dev.berth.core.time.Scheduler;
import dev.berth.runtime.kubernetes.KubernetesConnection;
import dev.berth.runtime.kubernetes.KubernetesConnector;
import dev.berth.runtime.kubernetes.KubernetesRuntime;
import dev.berth.server.support.crypto.SecretBox;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every cluster of this server: the embedded {@code local} one (when enabled) and the Kubernetes
 * clusters registered by kubeconfig, loaded from the database at start. Thread-safe. A Kubernetes
 * cluster whose API server is down at start is still listed, with its status, and its runtime keeps
 * retrying; credentials are decrypted only to build the client.
 */
public final class Clusters implements ClusterRegistry, AutoCloseable {
  public static final String LOCAL = "local";
  private static final Logger LOG = LoggerFactory.getLogger(Clusters.class);
  private static final Pattern NAME = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");

  /** One registered Kubernetes cluster with its runtime and last health. */
  record Kube(
      ClusterRecord record,
      KubernetesRuntime runtime,
      KubernetesConnection connection,
      String status,
      String message,
      String version) {
    Kube withHealth(String s, String m, String v) {
      return new Kube(record, runtime, connection, s, m, v == null ? version : v);
    }
  }

  /** What GET /clusters shows; never credentials. */
  public record View(
      String name,
      String type,
      String zone,
      String namespace,
      String status,
      String message,
      String version) {}

  private final ClusterRuntime local;
  private final Map<String, Kube> kubes = new ConcurrentSkipListMap<>();
  private final JdbcClusterStore store;
  private final SecretBox secrets;
  private final KubernetesConnector connector;
  private final Scheduler clock;
  private final List<Consumer<ClusterRuntime>> onAdded = new CopyOnWriteArrayList<>();

  public Clusters(
      ClusterRuntime local,
      JdbcClusterStore store,
      SecretBox secrets,
      KubernetesConnector connector,
      Scheduler clock) {
    this.local = local;
    this.store = store;
    this.secrets = secrets;
    this.connector = connector;
    this.clock = clock;
  }

  /** Starts a runtime for every stored cluster; one that cannot connect is listed as such. */
  public void load() {
    for (ClusterRecord r : store.all()) {
      try {
        KubernetesConnection connection =
            connector.connect(
                r.inCluster() ? null : secrets.open(r.sealedKubeconfig(), purpose(r.name())),
                r.inCluster());
        KubernetesRuntime runtime = connection.start(r.name(), r.namespace(), clock);
        kubes.put(r.name(), new Kube(r, runtime, connection, "Unknown", "checking", null));
      } catch (RuntimeException e) {
        LOG.warn("cluster {} cannot be started: {}", r.name(), e.getMessage());
      }
    }
    checkHealth();
  }

  /** Calls {@code hook} with every runtime registered from now on (to route its observations). */
  public void onAdded(Consumer<ClusterRuntime> hook) {
    onAdded.add(hook);
  }

  /**
   * Registers a Kubernetes cluster after checking that it answers; the kubeconfig is stored sealed.
   */
  public View register(
      String name, String kubeconfig, boolean inCluster, String namespace, String zone) {
    List<ValidationException.FieldError> errors = new ArrayList<>();
    if (name == null || !NAME.matcher(name).matches()) {
      errors.add(
          new ValidationException.FieldError(
              "name",
              "must be a DNS-1123 label (lower-case letters, digits, '-'; at most 63), was "
                  + quote(name)));
    } else if (LOCAL.equals(name) || kubes.containsKey(name)) {
      throw new ConflictException("cluster '" + name + "' already exists");
    }
    if (!inCluster && (kubeconfig == null || kubeconfig.isBlank())) {
      errors.add(
          new ValidationException.FieldError(
              "kubeconfig", "is required (a kubeconfig YAML document) unless inCluster is true"));
    }
    if (namespace != null && !namespace.isBlank() && !NAME.matcher(namespace).matches()) {
      errors.add(
          new ValidationException.FieldError(
              "namespace", "must be a DNS-1123 label, was " + quote(namespace)));
    }
    if (!errors.isEmpty()) {
      throw new ValidationException(errors);
    }
    String field = inCluster ? "inCluster" : "kubeconfig";
    String ns = namespace == null || namespace.isBlank() ? "default" : namespace;
    KubernetesConnection connection = connector.connect(kubeconfig, inCluster);
    String version;
    try {
      version = connection.check(field, ns);
    } catch (RuntimeException e) {
      connection.close();
      throw e;
    }
    ClusterRecord r =
        new ClusterRecord(
            name,
            zone,
            ns,
            inCluster,
            inCluster ? null : secrets.seal(kubeconfig, purpose(name)),
            clock.instant());
    try {
      store.create(r, "Ready");
    } catch (RuntimeException e) {
      connection.close();
      throw e;
    }
    KubernetesRuntime runtime = connection.start(name, ns, clock);
    Kube k = new Kube(r, runtime, connection, "Ready", "Kubernetes " + version, version);
    kubes.put(name, k);
    onAdded.forEach(h -> h.accept(runtime));
    return view(k);
  }

  /** Forgets a cluster; refused while apps use it. Workloads on it are left as they are. */
  public void remove(String name, AppStore apps) {
    if (LOCAL.equals(name)) {
      throw new ConflictException(
          "the embedded 'local' cluster cannot be removed; set berth.local.enabled=false instead");
    }
    Kube k = kubes.get(name);
    if (k == null) {
      throw new NotFoundException("cluster", name);
    }
    List<String> using = apps.names(name);
    if (!using.isEmpty()) {
      throw new ConflictException(
          "cluster '"
              + name
              + "' still runs "
              + using.size()
              + " app(s) ("
              + String.join(", ", using.subList(0, Math.min(5, using.size())))
              + (using.size() > 5 ? ", ..." : "")
              + "); delete or move them first");
    }
    store.delete(name);
    kubes.remove(name);
    k.runtime().close();
  }

  /**
   * Asks every Kubernetes cluster for its version; records Ready / Unreachable / Unauthorized /
   * Forbidden.
   */
  public void checkHealth() {
    for (Kube k : kubes.values()) {
      KubernetesConnection.Health health = k.connection().health();
      String status = health.status();
      String message =
          health.ready()
              ? health.message()
                  + k.runtime()
                      .lastWatchError()
                      .filter(e -> !k.runtime().synced())
                      .map(e -> "; watches failing: " + e)
                      .orElse("")
              : health.message();
      if (!status.equals(k.status())) {
        LOG.info("cluster {} is now {}: {}", k.record().name(), status, message);
        store.updateStatus(k.record().name(), status);
      }
      kubes.computeIfPresent(
          k.record().name(), (n, old) -> old.withHealth(status, message, health.version()));
    }
  }

  /**
   * The opened kubeconfig of a registered cluster, for the inspection's look at its client
   * certificates; empty for the local cluster, an in-cluster one and an unknown name. Never shown.
   */
  public Optional<String> openKubeconfig(String cluster) {
    Kube k = kubes.get(cluster);
    if (k == null || k.record().inCluster() || k.record().sealedKubeconfig() == null) {
      return Optional.empty();
    }
    return Optional.of(secrets.open(k.record().sealedKubeconfig(), purpose(cluster)));
  }

  public List<View> views() {
    List<View> out = new ArrayList<>();
    if (local != null) {
      Cluster c = localCluster();
      out.add(new View(c.name(), c.type(), c.zone(), null, c.status(), c.message(), null));
    }
    kubes.values().forEach(k -> out.add(view(k)));
    return out;
  }

  @Override
  public List<Cluster> clusters() {
    List<Cluster> out = new ArrayList<>();
    if (local != null) {
      out.add(localCluster());
    }
    kubes
        .values()
        .forEach(
            k ->
                out.add(
                    new Cluster(
                        k.record().name(),
                        JdbcClusterStore.TYPE,
                        k.record().zone(),
                        k.status(),
                        k.message())));
    return out;
  }

  @Override
  public Optional<ClusterRuntime> runtime(String cluster) {
    if (LOCAL.equals(cluster)) {
      return Optional.ofNullable(local);
    }
    return Optional.ofNullable(kubes.get(cluster)).map(Kube::runtime);
  }

  /** The runtime of every cluster that has one running (for metric collection). */
  public List<ClusterRuntime> runtimes() {
    List<ClusterRuntime> out = new ArrayList<>();
    if (local != null) {
      out.add(local);
    }
    kubes.values().forEach(k -> out.add(k.runtime()));
    return out;
  }

  private Cluster localCluster() {
    boolean ready = local.nodes().stream().allMatch(n -> n.ready());
    return new Cluster(
        LOCAL,
        "local",
        "local",
        ready ? "Ready" : "NotReady",
        ready ? "runc on this host" : "the host is not ready");
  }

  private static View view(Kube k) {
    return new View(
        k.record().name(),
        JdbcClusterStore.TYPE,
        k.record().zone(),
        k.record().namespace(),
        k.status(),
        k.message(),
        k.version());
  }

  private static String purpose(String cluster) {
    return "kubeconfig of cluster " + cluster;
  }

  private static String quote(String s) {
    return s == null ? "nothing" : "'" + s + "'";
  }

  @Override
  public void close() {
    kubes.values().forEach(k -> k.runtime().close());
    if (local != null) {
      local.close();
    }
  }
}
