package dev.berth.server.image;

import static dev.berth.server.access.Permission.REGISTRY_MANAGE;
import static dev.berth.server.access.Permission.REGISTRY_READ;
import static dev.berth.server.access.Permission.REPOSITORY_READ;

import dev.berth.core.event.Event;
import dev.berth.core.support.Errors;
import dev.berth.core.support.NotFoundException;
import dev.berth.core.support.TeamImagePolicy;
import dev.berth.core.support.ValidationException;
import dev.berth.oci.ImageReference;
import dev.berth.server.access.Access;
import dev.berth.server.access.Caller;
import dev.berth.server.audit.AuditLog;
import dev.berth.server.event.EventService;
import dev.berth.server.team.TeamService;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.springframework.stereotype.Service;

/**
 * Repositories per team: a registry's prefixes and the team each belongs to. Everyone signed in
 * reads the prefixes; admins ({@code registry.manage}) add and remove them, audited and with an
 * event. The image centre shows a member only the repositories of their teams ({@code
 * repository.read}) and those no prefix claims; another team's repository is answered as missing
 * (404). A team's build pushes only to its own prefixes or to unclaimed repositories, and a team's
 * apps and tasks run only images of those ({@link TeamImagePolicy}).
 */
@Service
public class RepositoryTeamOperations implements TeamImagePolicy {
  private final JdbcRepositoryTeamStore store;
  private final RegistryDirectory registries;
  private final Access access;
  private final AuditLog audit;
  private final TeamService teams;
  private final EventService events;
  private final Clock clock;

  public RepositoryTeamOperations(
      JdbcRepositoryTeamStore store,
      RegistryDirectory registries,
      Access access,
      AuditLog audit,
      TeamService teams,
      EventService events,
      Clock clock) {
    this.store = store;
    this.registries = registries;
    this.access = access;
    this.audit = audit;
    this.teams = teams;
    this.events = events;
    this.clock = clock;
  }

  /** The prefixes of a registry (everyone signed in). */
  public List<RepositoryTeam> list(String registry) {
    access.require(REGISTRY_READ, null);
    registries.view(registry);
    return store.list(registry);
  }

  /** Gives the repositories under {@code prefix} to {@code team} (admins). */
  public RepositoryTeam add(String registry, String prefix, String team) {
    registries.view(registry);
    return audit.change(
        "repository-team.create",
        "registry",
        registry,
        c -> {
          c.team(team);
          Caller caller = access.require(REGISTRY_MANAGE, null);
          Errors errors = new Errors();
          RepositoryOwners.validatePrefix(prefix, errors);
          errors.check(team != null && !team.isBlank(), "team", "is required");
          errors.throwIfAny();
          teams.requireExists(team);
          RepositoryTeam m =
              new RepositoryTeam(
                  registry,
                  RepositoryOwners.normalize(prefix),
                  team,
                  caller.name(),
                  clock.instant());
          store.create(m);
          c.after(m);
          emit(registry, "RepositoriesGiven", m.prefix() + " now belongs to team '" + team + "'");
          return m;
        });
  }

  /** Makes the repositories under {@code prefix} shared again (admins). */
  public void remove(String registry, String prefix) {
    registries.view(registry);
    String p = RepositoryOwners.normalize(prefix);
    RepositoryTeam before =
        store.list(registry).stream().filter(m -> m.prefix().equals(p)).findFirst().orElse(null);
    audit.change(
        "repository-team.delete",
        "registry",
        registry,
        c -> {
          access.require(REGISTRY_MANAGE, null);
          if (before == null) {
            throw new NotFoundException("repository prefix", p + " in registry " + registry);
          }
          c.team(before.team()).before(before);
          store.delete(registry, p);
          emit(
              registry,
              "RepositoriesShared",
              p + " no longer belongs to team '" + before.team() + "'");
          return null;
        });
  }

  /** The owners of a registry's repositories. */
  public RepositoryOwners owners(String registry) {
    return new RepositoryOwners(store.list(registry));
  }

  /** Of {@code repositories} of {@code registry}, those the caller may see, in order. */
  public List<String> visible(String registry, List<String> repositories) {
    Set<String> mine = access.readable(REPOSITORY_READ);
    RepositoryOwners owners = owners(registry);
    return repositories.stream().filter(r -> owners.visibleTo(r, mine)).toList();
  }

  /** A 404, as for a repository that does not exist, when the caller may not see it. */
  public void requireVisible(String registry, String repository) {
    if (!owners(registry).visibleTo(repository, access.readable(REPOSITORY_READ))) {
      throw new NotFoundException("repository", repository + " in registry " + registry);
    }
  }

  /**
   * A 400 naming {@code image} when a build of {@code team} would push into a repository of another
   * team. References that do not parse, or to registries Berth does not know, pass here (the
   * build's own validation answers for them).
   */
  public void requirePushable(String image, String team) {
    foreign(image, team)
        .ifPresent(
            f -> {
              throw ValidationException.of(
                  "image",
                  f.belongs()
                      + "; a build of team '"
                      + team
                      + "' pushes only "
                      + (f.own().isEmpty()
                          ? "to repositories no team's prefix claims"
                          : "under "
                              + String.join(", ", f.own())
                              + " or to repositories no prefix claims"));
            });
  }

  /**
   * Why an app or task of {@code team} may not run {@code image}: its repository, in a registry
   * Berth knows, belongs to another team. Unclaimed repositories, registries Berth does not know
   * and references that do not parse are not refused here.
   */
  @Override
  public Optional<String> refusal(String image, String team) {
    return foreign(image, team)
        .map(
            f ->
                f.belongs()
                    + "; an app or task of team '"
                    + team
                    + "' runs only images "
                    + (f.own().isEmpty() ? "" : "under " + String.join(", ", f.own()) + ", ")
                    + "of repositories no prefix claims or of registries Berth does not manage; use"
                    + " one of those, or ask team '"
                    + f.owner().team()
                    + "' to publish the image in a repository no prefix claims");
  }

  /** When {@code image} is in a repository Berth knows that another team than {@code team} owns. */
  private Optional<Foreign> foreign(String image, String team) {
    ImageReference ref;
    try {
      ref = ImageReference.parse(image);
    } catch (RuntimeException e) {
      return Optional.empty();
    }
    String registry = registries.nameOfHost(ref.registry()).orElse(null);
    if (registry == null) {
      return Optional.empty();
    }
    RepositoryOwners owners = owners(registry);
    if (owners.pushableBy(ref.repository(), team)) {
      return Optional.empty();
    }
    return Optional.of(
        new Foreign(
            registry,
            ref.repository(),
            owners.ownerOf(ref.repository()).orElseThrow(),
            owners.prefixesOf(team)));
  }

  /** A repository of another team: where it is, who owns it, and the asking team's prefixes. */
  private record Foreign(
      String registry, String repository, RepositoryTeam owner, List<String> own) {
    String belongs() {
      return "repository '"
          + repository
          + "' of registry '"
          + registry
          + "' belongs to team '"
          + owner.team()
          + "' (prefix '"
          + owner.prefix()
          + "')";
    }
  }

  private void emit(String registry, String reason, String message) {
    events.emit(Event.normal(clock.instant(), null, "registry", registry, null, reason, message));
  }
}
