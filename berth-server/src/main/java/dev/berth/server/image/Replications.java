package dev.berth.server.image;

import dev.berth.core.support.ConflictException;
import dev.berth.core.support.NotFoundException;
import dev.berth.core.support.ValidationException;
import dev.berth.core.support.ValidationException.FieldError;
import dev.berth.oci.ImageReference;
import dev.berth.oci.PullThrough;
import dev.berth.oci.replication.Endpoint;
import dev.berth.oci.replication.PushEvent;
import dev.berth.oci.replication.PushEvents;
import dev.berth.oci.replication.ReplicationEngine;
import dev.berth.oci.replication.ReplicationOutcome;
import dev.berth.oci.replication.ReplicationRequest;
import dev.berth.oci.replication.RepositoryGlob;
import dev.berth.oci.replication.Trigger;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Replication rules and what triggers them: push notifications, the periodic full sync, a sync
 * asked for by hand, and pull-through misses of the local runtime. Every copy goes to the {@link
 * ReplicationEngine}, which records one job per image and target. Thread-safe.
 */
public class Replications implements PullThrough {
  private static final Logger LOG = LoggerFactory.getLogger(Replications.class);
  private static final Pattern NAME = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");
  private static final Pattern NAMESPACE =
      Pattern.compile("[a-z0-9]+(?:[._-][a-z0-9]+)*(?:/[a-z0-9]+(?:[._-][a-z0-9]+)*)*");

  /** What a notification started. */
  public record Accepted(int events, int queued) {}

  /** What a full sync of one rule did. */
  public record SyncSummary(
      String rule, int images, int copied, int upToDate, int failed, List<String> failures) {}

  private final JdbcImageStore store;
  private final RegistryDirectory registries;
  private final ReplicationEngine engine;
  private final Clock clock;

  public Replications(
      JdbcImageStore store, RegistryDirectory registries, ReplicationEngine engine, Clock clock) {
    this.store = store;
    this.registries = registries;
    this.engine = engine;
    this.clock = clock;
  }

  /** Creates a rule after checking its registries and filter. Admin-only at the API. */
  public ReplicationRule create(
      String name,
      String source,
      String filter,
      List<ReplicationRule.Target> targets,
      Boolean enabled,
      String actor) {
    List<FieldError> errors = new ArrayList<>();
    if (name == null || !NAME.matcher(name).matches()) {
      errors.add(
          new FieldError(
              "name",
              "must be a DNS-1123 label (lower-case letters, digits, '-'; at most 63), was "
                  + quote(name)));
    }
    if (source == null || source.isBlank()) {
      errors.add(
          new FieldError(
              "sourceRegistry",
              "is required: the name of a registry added with POST /api/v1/registries"));
    } else if (!known(source)) {
      errors.add(
          new FieldError(
              "sourceRegistry",
              "no registry named "
                  + quote(source)
                  + "; add it first with POST /api/v1/registries"));
    }
    String glob = filter == null || filter.isBlank() ? "**" : filter.strip();
    try {
      RepositoryGlob.of(glob);
    } catch (IllegalArgumentException e) {
      errors.add(new FieldError("filter", e.getMessage()));
    }
    if (targets == null || targets.isEmpty()) {
      errors.add(
          new FieldError(
              "targets", "must name at least one target registry, e.g. [{\"registry\":\"dc2\"}]"));
    } else {
      Set<String> seen = new HashSet<>();
      for (int i = 0; i < targets.size(); i++) {
        ReplicationRule.Target t = targets.get(i);
        String at = "targets[" + i + "]";
        if (t == null || t.registry() == null || !known(t.registry())) {
          errors.add(
              new FieldError(
                  at + ".registry",
                  "no registry named "
                      + quote(t == null ? null : t.registry())
                      + "; add it first"));
          continue;
        }
        if (!t.namespace().isEmpty() && !NAMESPACE.matcher(t.namespace()).matches()) {
          errors.add(
              new FieldError(
                  at + ".namespace",
                  "must be a repository path prefix such as 'mirror' or 'dc2/team', was "
                      + quote(t.namespace())));
        }
        if (t.registry().equals(source) && t.namespace().isEmpty()) {
          errors.add(
              new FieldError(
                  at + ".namespace",
                  "is required when the target is the source registry itself (else images would be copied onto themselves)"));
        }
        if (!seen.add(t.registry() + "/" + t.namespace())) {
          errors.add(new FieldError(at, "repeats an earlier target"));
        }
      }
    }
    if (!errors.isEmpty()) {
      throw new ValidationException(errors);
    }
    if (store.rule(name).isPresent()) {
      throw new ConflictException("replication rule '" + name + "' already exists");
    }
    ReplicationRule rule =
        new ReplicationRule(
            name, source, glob, targets, enabled == null || enabled, actor, clock.instant());
    store.createRule(rule);
    LOG.info("replication rule {} created by {}: {} {} -> {}", name, actor, source, glob, targets);
    return rule;
  }

  public List<ReplicationRule> rules() {
    return store.rules();
  }

  public ReplicationRule rule(String name) {
    return store.rule(name).orElseThrow(() -> new NotFoundException("replication rule", name));
  }

  /** Deletes a rule and its job records. */
  public void delete(String name, String actor) {
    rule(name);
    store.deleteRule(name);
    store.deleteJobsOfRule(name);
    LOG.info("replication rule {} deleted by {}", name, actor);
  }

  /** Rules whose source or a target is this registry. */
  public List<String> rulesUsing(String registry) {
    return store.rules().stream()
        .filter(
            r ->
                r.sourceRegistry().equals(registry)
                    || r.targets().stream().anyMatch(t -> t.registry().equals(registry)))
        .map(ReplicationRule::name)
        .toList();
  }

  public List<ReplicationJob> jobs(String rule, Instant before, int limit) {
    rule(rule);
    return store.jobs(rule, before, limit);
  }

  /**
   * Reads a registry's notification (distribution envelope or Harbor webhook) and queues one copy
   * per pushed tag, matching rule and target. Returns at once; the copies run in the engine.
   */
  public Accepted onNotification(String registry, byte[] body) {
    registries.record(registry);
    List<PushEvent> events;
    try {
      events = PushEvents.parse(body);
    } catch (IllegalArgumentException e) {
      throw ValidationException.of("body", e.getMessage());
    }
    int queued = 0;
    for (PushEvent e : events) {
      for (ReplicationRule rule : store.rules()) {
        if (rule.enabled()
            && rule.sourceRegistry().equals(registry)
            && RepositoryGlob.of(rule.filter()).matches(e.repository())) {
          for (ReplicationRule.Target t : rule.targets()) {
            engine.submit(
                request(rule, Trigger.PUSH, e.repository(), e.tag(), e.digest(), t, e.pushedAt()));
            queued++;
          }
        }
      }
    }
    return new Accepted(events.size(), queued);
  }

  /**
   * Copies every matching repository and tag of a rule's source that a target lacks, each
   * repository and target as one plan (see {@link ReplicationEngine#submitAll}); waits for the end.
   */
  public SyncSummary sync(String name) {
    ReplicationRule rule = rule(name);
    RepositoryGlob glob = RepositoryGlob.of(rule.filter());
    var source = registries.client(rule.sourceRegistry());
    List<ReplicationRequest> requests = new ArrayList<>();
    List<String> failures = new ArrayList<>();
    for (String repository : source.catalog(registries.host(rule.sourceRegistry()), 1000)) {
      if (!glob.matches(repository)) {
        continue;
      }
      List<String> tags;
      try {
        tags =
            source.tags(
                ImageReference.parse(registries.host(rule.sourceRegistry()) + "/" + repository),
                1000);
      } catch (RuntimeException e) {
        failures.add(repository + ": " + e.getMessage());
        continue;
      }
      for (String tag : tags) {
        for (ReplicationRule.Target t : rule.targets()) {
          requests.add(request(rule, Trigger.SYNC, repository, tag, null, t, null));
        }
      }
    }
    // one plan per repository and target: shared layers are checked and copied once
    List<CompletableFuture<ReplicationOutcome>> copies = engine.submitAll(requests);
    int copied = 0;
    int upToDate = 0;
    int failed = 0;
    for (CompletableFuture<ReplicationOutcome> f : copies) {
      ReplicationOutcome o = f.join();
      switch (o.result()) {
        case SUCCEEDED -> copied++;
        case UP_TO_DATE -> upToDate++;
        case FAILED -> {
          failed++;
          if (failures.size() < 20) {
            failures.add(o.reason());
          }
        }
      }
    }
    return new SyncSummary(name, copies.size(), copied, upToDate, failed, failures);
  }

  /** The periodic sync: every enabled rule; a failing rule never stops the others. */
  public void syncAll() {
    for (ReplicationRule rule : store.rules()) {
      if (!rule.enabled()) {
        continue;
      }
      try {
        SyncSummary s = sync(rule.name());
        if (s.copied() > 0 || s.failed() > 0) {
          LOG.info(
              "sync of rule {}: {} image(s), {} copied, {} up to date, {} failed",
              rule.name(),
              s.images(),
              s.copied(),
              s.upToDate(),
              s.failed());
        }
      } catch (RuntimeException e) {
        LOG.warn(
            "sync of rule {} failed: {}; the next sync tries again", rule.name(), e.getMessage());
      }
    }
  }

  @Override
  public List<ImageReference> origins(ImageReference missing) {
    List<ImageReference> out = new ArrayList<>();
    try {
      String replica = registries.nameOfHost(missing.registry()).orElse(null);
      if (replica == null) {
        return out;
      }
      for (ReplicationRule rule : store.rules()) {
        for (ReplicationRule.Target t : rule.targets()) {
          if (!t.registry().equals(replica)) {
            continue;
          }
          t.sourceRepository(missing.repository())
              .filter(RepositoryGlob.of(rule.filter())::matches)
              .ifPresent(
                  repo ->
                      out.add(
                          new ImageReference(
                              registries.host(rule.sourceRegistry()),
                              repo,
                              missing.tag(),
                              missing.digest())));
        }
      }
    } catch (RuntimeException e) {
      LOG.warn("cannot look up pull-through origins of {}: {}", missing, e.getMessage());
    }
    return out;
  }

  @Override
  public void pulledFromOrigin(ImageReference missing, ImageReference origin) {
    if (missing.tag() == null) {
      return; // a pull by digest has no tag to replicate under
    }
    for (ReplicationRule rule : store.rules()) {
      if (!rule.enabled()) {
        continue; // a disabled rule still names the origin, but copies nothing
      }
      for (ReplicationRule.Target t : rule.targets()) {
        boolean fills =
            registries.nameOfHost(missing.registry()).filter(t.registry()::equals).isPresent()
                && registries.host(rule.sourceRegistry()).equalsIgnoreCase(origin.registry())
                && t.repository(origin.repository()).equals(missing.repository());
        if (fills) {
          engine.submit(
              request(
                  rule,
                  Trigger.PULL_THROUGH,
                  origin.repository(),
                  missing.tag(),
                  origin.digest(),
                  t,
                  null));
          return;
        }
      }
    }
  }

  private ReplicationRequest request(
      ReplicationRule rule,
      Trigger trigger,
      String repository,
      String tag,
      String digest,
      ReplicationRule.Target target,
      Instant pushedAt) {
    ImageReference from =
        new ImageReference(
            registries.host(rule.sourceRegistry()),
            repository,
            digest == null ? tag : null,
            digest);
    ImageReference to =
        new ImageReference(
            registries.host(target.registry()), target.repository(repository), tag, null);
    return new ReplicationRequest(
        rule.name(),
        trigger,
        new Endpoint(registries.client(rule.sourceRegistry()), from),
        new Endpoint(registries.client(target.registry()), to),
        pushedAt);
  }

  private boolean known(String registry) {
    return store.registry(registry).isPresent();
  }

  private static String quote(String s) {
    return s == null ? "nothing" : "'" + s + "'";
  }
}
