package dev.berth.server.inspection;

import dev.berth.core.app.AppPhase;
import dev.berth.core.node.NodeInfo;
import dev.berth.server.charts.NodeReading;
import dev.berth.server.inspection.Facts.AppFact;
import dev.berth.server.inspection.Facts.CertificateFact;
import dev.berth.server.inspection.Facts.RegistryFact;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * The checks of an inspection, each a pure function from the gathered {@link Facts} to findings.
 * Thresholds: headroom warns from 80 % taken and fails from 90 %; clock skew warns from 1 s and
 * fails from 30 s (a Kubernetes node's heartbeat later than this server's now); a certificate warns
 * 30 days before it expires and fails 7 days before (and once expired); an app fails while
 * crash-looping or failing to start, and warns while degraded.
 */
public final class Checks {
  static final Duration SKEW_WARN = Duration.ofSeconds(1);
  static final Duration SKEW_FAIL = Duration.ofSeconds(30);

  /** The kubelet reports its status at least every 5 minutes; older heartbeats tell nothing. */
  static final Duration HEARTBEAT_STALE = Duration.ofMinutes(6);

  static final Duration CERT_WARN = Duration.ofDays(30);
  static final Duration CERT_FAIL = Duration.ofDays(7);

  private Checks() {}

  /** Every check, in the order a report lists them. */
  public static List<Finding> all(Facts f) {
    List<Finding> out = new ArrayList<>();
    out.addAll(runtime(f));
    out.addAll(nodesReady(f));
    out.addAll(registries(f));
    out.addAll(headroom(f));
    out.addAll(clockSkew(f));
    out.addAll(certificates(f));
    out.addAll(apps(f));
    return out;
  }

  static List<Finding> runtime(Facts f) {
    return List.of(
        f.runtimeError() == null
            ? Finding.ok("runtime", f.cluster(), "the cluster's runtime answers")
            : Finding.fail("runtime", f.cluster(), "runtime unreachable: " + f.runtimeError()));
  }

  static List<Finding> nodesReady(Facts f) {
    if (f.runtimeError() != null) {
      return List.of();
    }
    if (f.nodes().isEmpty()) {
      return List.of(Finding.fail("node-ready", f.cluster(), "the cluster reports no node"));
    }
    List<Finding> out = new ArrayList<>();
    for (NodeInfo n : f.nodes()) {
      out.add(
          n.ready()
              ? Finding.ok("node-ready", n.name(), "ready")
              : Finding.fail("node-ready", n.name(), "node not ready" + conditions(n)));
    }
    return out;
  }

  static List<Finding> registries(Facts f) {
    List<Finding> out = new ArrayList<>();
    for (RegistryFact r : f.registries()) {
      out.add(
          r.reachable()
              ? Finding.ok("registry", r.name(), "reachable at " + r.url())
              : Finding.fail(
                  "registry", r.name(), "registry unreachable at " + r.url() + ": " + r.message()));
    }
    return out;
  }

  static List<Finding> headroom(Facts f) {
    if (f.metricsError() != null) {
      return List.of(
          Finding.warn("headroom", f.cluster(), "measurements unavailable: " + f.metricsError()));
    }
    List<Finding> out = new ArrayList<>();
    for (NodeInfo n : f.nodes()) {
      NodeReading r = f.readings().get(n.name());
      if (r == null) {
        out.add(Finding.warn("headroom", n.name(), "no measurements of this node yet"));
        continue;
      }
      out.add(share("disk", n.name(), "disk", r, NodeReading::diskUsed, NodeReading::diskSize));
      out.add(
          share(
              "disk",
              n.name(),
              "image storage",
              r,
              NodeReading::imageStoreUsed,
              NodeReading::imageStoreSize));
      out.add(share("pids", n.name(), "threads", r, NodeReading::pids, NodeReading::pidMax));
      out.add(
          share(
              "conntrack",
              n.name(),
              "conntrack entries",
              r,
              NodeReading::conntrack,
              NodeReading::conntrackLimit));
    }
    return out;
  }

  private static Finding share(
      String check,
      String node,
      String what,
      NodeReading r,
      Function<NodeReading, Double> used,
      Function<NodeReading, Double> limit) {
    Double percent = NodeReading.percent(used.apply(r), limit.apply(r));
    if (percent == null) {
      return Finding.warn(check, node, what + " not measured");
    }
    String text = String.format(Locale.ROOT, "%s at %.1f %% of the limit", what, percent);
    return percent >= 90
        ? Finding.fail(check, node, text)
        : percent >= 80 ? Finding.warn(check, node, text) : Finding.ok(check, node, text);
  }

  static List<Finding> clockSkew(Facts f) {
    List<Finding> out = new ArrayList<>();
    for (NodeInfo n : f.nodes()) {
      if (f.local()) {
        out.add(Finding.ok("clock-skew", n.name(), "runs on this server's clock (skew 0 s)"));
        continue;
      }
      Instant beat = heartbeat(n);
      if (beat == null) {
        out.add(Finding.warn("clock-skew", n.name(), "the node reports no heartbeat time"));
        continue;
      }
      Duration ahead = Duration.between(f.now(), beat);
      if (ahead.isNegative()) {
        Duration ago = ahead.negated();
        String text = String.format(Locale.ROOT, "last heartbeat %d s ago", ago.toSeconds());
        out.add(
            ago.compareTo(HEARTBEAT_STALE) > 0
                ? Finding.warn("clock-skew", n.name(), text + ": stale, skew cannot be told")
                : Finding.ok("clock-skew", n.name(), text + ", not ahead of this server"));
        continue;
      }
      String text =
          String.format(
              Locale.ROOT,
              "clock ahead by at least %.1f s (heartbeat later than now)",
              ahead.toMillis() / 1000.0);
      out.add(
          ahead.compareTo(SKEW_FAIL) >= 0
              ? Finding.fail("clock-skew", n.name(), text)
              : ahead.compareTo(SKEW_WARN) >= 0
                  ? Finding.warn("clock-skew", n.name(), text)
                  : Finding.ok("clock-skew", n.name(), text));
    }
    return out;
  }

  /** The node's Ready heartbeat (the kubelet's clock), or null. */
  private static Instant heartbeat(NodeInfo n) {
    return n.conditions().stream()
        .filter(c -> "Ready".equals(c.type()) && c.lastHeartbeat() != null)
        .map(NodeInfo.Condition::lastHeartbeat)
        .findFirst()
        .orElse(null);
  }

  static List<Finding> certificates(Facts f) {
    List<Finding> out = new ArrayList<>();
    for (CertificateFact c : f.certificates()) {
      Duration left = Duration.between(f.now(), c.notAfter());
      String subject = c.subject() + " expires " + c.notAfter();
      if (left.isNegative()) {
        out.add(Finding.fail("certificate", c.item(), "certificate expired: " + subject));
      } else if (left.compareTo(CERT_FAIL) < 0) {
        out.add(
            Finding.fail(
                "certificate",
                c.item(),
                "certificate near expiry (" + days(left) + "): " + subject));
      } else if (left.compareTo(CERT_WARN) < 0) {
        out.add(
            Finding.warn(
                "certificate",
                c.item(),
                "certificate near expiry (" + days(left) + "): " + subject));
      } else {
        out.add(Finding.ok("certificate", c.item(), subject));
      }
    }
    return out;
  }

  static List<Finding> apps(Facts f) {
    List<Finding> out = new ArrayList<>();
    for (AppFact a : f.apps()) {
      String reason = a.status() == null ? "" : a.status().reason();
      String message = a.status() == null ? "" : a.status().message();
      AppPhase phase = a.status() == null ? null : a.status().phase();
      if ("CrashLoopBackOff".equals(reason) || "FailedToStart".equals(reason)) {
        out.add(
            Finding.fail(
                "app",
                a.name(),
                (reason.equals("CrashLoopBackOff") ? "app crash-looping" : "app failing to start")
                    + ": "
                    + message));
      } else if (phase == AppPhase.DEGRADED) {
        out.add(Finding.warn("app", a.name(), "app degraded (" + reason + "): " + message));
      } else {
        out.add(
            Finding.ok(
                "app",
                a.name(),
                (phase == null ? "no status yet" : phase.name().toLowerCase(Locale.ROOT))
                    + (a.maxRestarts() > 0 ? ", " + a.maxRestarts() + " restarts at most" : "")));
      }
    }
    return out;
  }

  private static String conditions(NodeInfo n) {
    List<String> bad = new ArrayList<>();
    for (NodeInfo.Condition c : n.conditions()) {
      boolean healthy =
          c.type().equals("Ready") ? "True".equals(c.status()) : !"True".equals(c.status());
      if (!healthy) {
        bad.add(
            c.type() + "=" + c.status() + (c.message() == null ? "" : " (" + c.message() + ")"));
      }
    }
    return bad.isEmpty() ? "" : ": " + String.join(", ", bad);
  }

  private static String days(Duration left) {
    long d = left.toDays();
    return d == 1 ? "1 day left" : d + " days left";
  }

  /** The number of findings of each status. */
  public static Map<Finding.Status, Long> count(List<Finding> findings) {
    Map<Finding.Status, Long> m = new java.util.EnumMap<>(Finding.Status.class);
    for (Finding.Status s : Finding.Status.values()) {
      m.put(s, findings.stream().filter(x -> x.status() == s).count());
    }
    return m;
  }
}
