package dev.berth.server.image;

import static dev.berth.server.access.Permission.REGISTRY_MANAGE;
import static dev.berth.server.access.Permission.REGISTRY_NOTIFY;
import static dev.berth.server.access.Permission.REGISTRY_READ;
import static dev.berth.server.access.Permission.REPLICATION_MANAGE;

import dev.berth.oci.registry.ImageDetail;
import dev.berth.server.access.Access;
import dev.berth.server.access.Caller;
import dev.berth.server.access.Permission;
import dev.berth.server.audit.AuditLog;
import dev.berth.server.team.RedLines;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Service;

/**
 * The image centre as the caller may see and change it, from the REST API and the portal alike:
 * every signed-in user reads registries, browses their repositories (a member only those of their
 * teams' prefixes and the unclaimed ones, see {@link RepositoryTeamOperations}), tags and manifests
 * and reads replication rules and jobs ({@code registry.read}); only admins add, test and remove
 * registries ({@code registry.manage}), create, delete and sync rules ({@code replication.manage})
 * and send push notifications ({@code registry.notify}). Removing a registry needs its name typed
 * back (after the permission check: 403 before 428). Every change goes to the audit log.
 */
@Service
public class ImageOperations {
  private final RegistryDirectory registries;
  private final ImageBrowser browser;
  private final Replications replications;
  private final Access access;
  private final AuditLog audit;
  private final RedLines redLines;
  private final RepositoryTeamOperations repositoryTeams;

  public ImageOperations(
      RegistryDirectory registries,
      ImageBrowser browser,
      Replications replications,
      Access access,
      AuditLog audit,
      RedLines redLines,
      RepositoryTeamOperations repositoryTeams) {
    this.registries = registries;
    this.browser = browser;
    this.replications = replications;
    this.access = access;
    this.audit = audit;
    this.redLines = redLines;
    this.repositoryTeams = repositoryTeams;
  }

  // ------------------------------------------------------------------ registries

  public List<RegistryDirectory.View> registries() {
    access.require(REGISTRY_READ, null);
    return registries.views();
  }

  public RegistryDirectory.View registry(String name) {
    access.require(REGISTRY_READ, null);
    return registries.view(name);
  }

  /** Adds a registry after its connection check; the password is sealed and never recorded. */
  public RegistryDirectory.View addRegistry(
      String name, String url, String username, String password) {
    return audit.change(
        "registry.create",
        "registry",
        name,
        c -> {
          Caller caller = access.require(REGISTRY_MANAGE, null);
          RegistryDirectory.View v = registries.add(name, url, username, password, caller.name());
          c.after(publicPart(v));
          return v;
        });
  }

  /**
   * Tests a registry's connection and credentials (Berth connects out with them, so admins only).
   */
  public RegistryDirectory.Check testRegistry(String name) {
    registries.view(name);
    return audit.change(
        "registry.test",
        "registry",
        name,
        c -> {
          access.require(REGISTRY_MANAGE, null);
          RegistryDirectory.Check check = registries.test(name);
          c.detail(check.status() + ": " + check.message());
          return check;
        });
  }

  /**
   * Removes a registry; {@code confirm} must be its name; refused while replication rules use it.
   */
  public void removeRegistry(String name, String confirm) {
    RegistryDirectory.View before = registries.view(name);
    audit.change(
        "registry.delete",
        "registry",
        name,
        c -> {
          Caller caller = access.require(REGISTRY_MANAGE, null);
          redLines.requireConfirmed("removing registry '" + name + "'", name, confirm);
          c.before(publicPart(before));
          registries.remove(name, replications.rulesUsing(name), caller.name());
          return null;
        });
  }

  // ------------------------------------------------------------------ browsing

  public ImageBrowser.RepositoryPage repositories(
      String registry, String q, String last, int size) {
    access.require(REGISTRY_READ, null);
    ImageBrowser.RepositoryPage page = browser.repositories(registry, q, last, size);
    return new ImageBrowser.RepositoryPage(
        page.registry(), repositoryTeams.visible(registry, page.items()), page.next());
  }

  /** The tags of a repository; another team's repository is answered as missing. */
  public ImageBrowser.TagList tags(String registry, String repository) {
    access.require(REGISTRY_READ, null);
    repositoryTeams.requireVisible(registry, repository);
    return browser.tags(registry, repository);
  }

  public ImageDetail detail(String registry, String repository, String reference) {
    access.require(REGISTRY_READ, null);
    repositoryTeams.requireVisible(registry, repository);
    return browser.detail(registry, repository, reference);
  }

  // ------------------------------------------------------------------ replication

  public List<ReplicationRule> rules() {
    access.require(REGISTRY_READ, null);
    return replications.rules();
  }

  public ReplicationRule rule(String name) {
    access.require(REGISTRY_READ, null);
    return replications.rule(name);
  }

  public List<ReplicationJob> jobs(String rule, Instant before, int limit) {
    access.require(REGISTRY_READ, null);
    return replications.jobs(rule, before, limit);
  }

  public ReplicationRule createRule(
      String name,
      String source,
      String filter,
      List<ReplicationRule.Target> targets,
      Boolean enabled) {
    return audit.change(
        "replication.create",
        "replication",
        name,
        c -> {
          Caller caller = access.require(REPLICATION_MANAGE, null);
          ReplicationRule rule =
              replications.create(name, source, filter, targets, enabled, caller.name());
          c.after(rule);
          return rule;
        });
  }

  /** Deletes a rule and its job records; images already copied stay. */
  public void deleteRule(String name) {
    ReplicationRule before = replications.rule(name);
    audit.change(
        "replication.delete",
        "replication",
        name,
        c -> {
          access.require(REPLICATION_MANAGE, null);
          c.before(before);
          replications.delete(name, access.caller().name());
          return null;
        });
  }

  /** Copies now whatever the rule's targets lack; answers when done. */
  public Replications.SyncSummary sync(String name) {
    replications.rule(name);
    return audit.change(
        "replication.sync",
        "replication",
        name,
        c -> {
          access.require(REPLICATION_MANAGE, null);
          Replications.SyncSummary s = replications.sync(name);
          c.detail(
              s.images()
                  + " image(s): "
                  + s.copied()
                  + " copied, "
                  + s.upToDate()
                  + " up to date, "
                  + s.failed()
                  + " failed");
          return s;
        });
  }

  /**
   * A registry's push notification: needs {@code registry.notify} (the registry sends the token of
   * a user who holds it); copies start at once along the rules admins made.
   */
  public Replications.Accepted notification(String registry, byte[] body) {
    registries.view(registry);
    return audit.change(
        "registry.notify",
        "registry",
        registry,
        c -> {
          access.require(REGISTRY_NOTIFY, null);
          Replications.Accepted a = replications.onNotification(registry, body);
          c.detail(a.events() + " event(s), " + a.queued() + " copy(ies) queued");
          return a;
        });
  }

  /**
   * Whether the caller holds a platform permission of the image centre (for showing or hiding
   * portal actions).
   */
  public boolean can(Permission permission) {
    return access.caller().can(permission, null);
  }

  private static Map<String, Object> publicPart(RegistryDirectory.View v) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("url", v.url());
    m.put("username", v.username());
    m.put("hasPassword", v.hasPassword());
    return m;
  }
}
