package dev.berth.server.build;

import dev.berth.core.support.ConflictException;
import dev.berth.core.support.Errors;
import dev.berth.core.support.NotFoundException;
import dev.berth.core.support.Page;
import dev.berth.core.support.Requests;
import dev.berth.core.support.ValidationException;
import dev.berth.oci.build.BuildSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.web.multipart.MultipartFile;

/**
 * Image builds and build templates: validates a request completely before anything is stored, keeps
 * the uploads on disk, and hands the build to the {@link BuildRunner}. The REST API and the portal
 * call it through {@link BuildOperations}, which checks the caller's permissions and audits.
 */
public class BuildService {
  static final int MAX_TEMPLATE_CHAIN = 16;
  private final JdbcBuildStore store;
  private final BuildFiles files;
  private final BuildRunner runner;
  private final Clock clock;

  BuildService(JdbcBuildStore store, BuildFiles files, BuildRunner runner, Clock clock) {
    this.store = store;
    this.files = files;
    this.runner = runner;
    this.clock = clock;
  }

  /** The result of saving a template: whether it was new, and the build of it that was started. */
  public record SavedTemplate(BuildTemplate template, boolean created, Build build) {}

  /**
   * Starts a build: checks the spec, the uploads and the base template, stores the build (queued)
   * and its uploads, and dispatches it.
   *
   * @param parts the uploaded files by part name (empty for a JSON request)
   * @param team the team the build belongs to
   * @throws ValidationException naming each bad field or part
   */
  public Build submit(
      BuildSpec spec, Map<String, MultipartFile> parts, String team, String actor, String cause) {
    check(spec, parts, "");
    Path staged = stage(parts);
    Build build;
    try {
      build = store.create(spec, team, null, cause, actor, clock.instant());
      try {
        move(staged, files.inputs(build.id()));
      } catch (RuntimeException e) {
        store.fail(
            build.id(),
            "Berth could not store the uploaded files: " + e.getMessage(),
            null,
            null,
            clock.instant());
        throw e;
      }
    } finally {
      BuildFiles.delete(staged);
    }
    runner.dispatch(build.id());
    return build;
  }

  /** A build with its log (the live log while it runs). */
  public Build get(long id) {
    Build build =
        store.find(id).orElseThrow(() -> new NotFoundException("build", Long.toString(id)));
    return build.state() == BuildState.RUNNING
        ? runner.liveLog(id).map(build::withLog).orElse(build)
        : build;
  }

  /**
   * Builds newest first, optionally those whose image contains {@code q}; without logs. {@code
   * teams} limits them to those teams' builds and templates' builds; null means all.
   */
  public Page<Build> list(String q, Set<String> teams, int page, int size) {
    Requests.checkPaging(page, size);
    return store.list(q, teams, page, size);
  }

  public List<BuildTemplate> templates() {
    return store.templates();
  }

  public BuildTemplate template(String name) {
    return store.template(name).orElseThrow(() -> new NotFoundException("build template", name));
  }

  /**
   * Creates or replaces a template and starts a build of it; when that build yields a new image,
   * the templates based on this one are rebuilt in turn.
   */
  public SavedTemplate saveTemplate(
      String name, BuildSpec spec, Map<String, MultipartFile> parts, String actor) {
    Errors errors = new Errors().dnsLabel(name, "name", 63);
    if (spec == null) {
      errors.add("spec", "is required: the template's build spec");
    }
    errors.throwIfAny();
    check(spec, parts, "spec.");
    if (name.equals(spec.template()) || chain(spec.template()).contains(name)) {
      throw ValidationException.of(
          "spec.template",
          "'"
              + spec.template()
              + "' is based on '"
              + name
              + "' (directly or through other templates): templates must not form a cycle");
    }
    BuildFiles.replace(parts, files.template(name));
    boolean created = store.saveTemplate(name, spec, actor, clock.instant());
    Build build =
        runner.startTemplateBuild(
            template(name), actor, created ? "template created" : "template changed");
    return new SavedTemplate(template(name), created, build);
  }

  /**
   * Rebuilds a template from its stored spec (templates based on it follow when its image changes).
   */
  public Build buildTemplate(String name, String actor) {
    return runner.startTemplateBuild(template(name), actor, "rebuild asked by " + actor);
  }

  /** Whether a template of that name exists. */
  public boolean hasTemplate(String name) {
    return store.template(name).isPresent();
  }

  /** Deletes a template no other template is based on; its pushed images stay in the registry. */
  public void deleteTemplate(String name) {
    template(name);
    List<String> dependants = store.dependants(name);
    if (!dependants.isEmpty()) {
      throw new ConflictException(
          "build template '"
              + name
              + "' is the base of "
              + String.join(", ", dependants)
              + "; change or delete those first");
    }
    store.deleteTemplate(name);
    BuildFiles.delete(files.template(name));
  }

  private void check(BuildSpec spec, Map<String, MultipartFile> parts, String prefix) {
    if (spec == null) {
      throw ValidationException.of(
          prefix.isEmpty() ? "body" : "spec", "is required: a build spec as JSON");
    }
    try {
      spec.validate(parts.keySet());
      BuildFiles.checkUploads(spec, parts);
      if (spec.template() != null && store.template(spec.template()).isEmpty()) {
        throw ValidationException.of(
            "template",
            "no build template is named '"
                + spec.template()
                + "'; create it with POST /api/v1/build-templates or name a base image in 'base'");
      }
    } catch (ValidationException e) {
      if (prefix.isEmpty()) {
        throw e;
      }
      throw new ValidationException(
          e.errors().stream()
              .map(f -> new ValidationException.FieldError(prefix + f.field(), f.message()))
              .toList());
    }
  }

  /** The names of the templates below {@code template}, bounded (a longer chain is refused). */
  private Set<String> chain(String template) {
    Set<String> seen = new HashSet<>();
    String next = template;
    while (next != null && seen.add(next)) {
      if (seen.size() > MAX_TEMPLATE_CHAIN) {
        throw ValidationException.of(
            "spec.template", "templates may be chained at most " + MAX_TEMPLATE_CHAIN + " deep");
      }
      next = store.template(next).map(t -> t.spec().template()).orElse(null);
    }
    return seen;
  }

  private Path stage(Map<String, MultipartFile> parts) {
    try {
      Path dir =
          Files.createTempDirectory(Files.createDirectories(files.cache().getParent()), "upload-");
      BuildFiles.save(parts, dir);
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot store the uploaded files", e);
    }
  }

  private static void move(Path from, Path to) {
    try {
      Files.createDirectories(to.getParent());
      Files.move(from, to);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot store the uploaded files in " + to, e);
    }
  }
}
