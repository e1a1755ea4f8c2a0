package dev.berth.server.release;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.core.app.App;
import dev.berth.core.app.Revision;
import dev.berth.core.release.Release;
import dev.berth.core.support.NotFoundException;
import dev.berth.server.access.Permission;
import dev.berth.server.app.AppOperations;
import dev.berth.server.portal.Flash;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * An application's releases in the portal: the current (or a chosen) release with its batches, a
 * grid of instances coloured by revision, the controls the caller's role allows, the releases
 * before it, and the revision history with a diff between any two revisions and "roll back to
 * this". Every action is one call of {@link ReleaseOperations}, as in the API.
 */
@Controller
@RequestMapping("/apps/{name}/releases")
public class ReleasePages {
  private final ReleaseOperations releases;
  private final AppOperations apps;
  private final ObjectMapper json;

  public ReleasePages(ReleaseOperations releases, AppOperations apps, ObjectMapper json) {
    this.releases = releases;
    this.apps = apps;
    this.json = json;
  }

  @GetMapping
  public String current(
      @PathVariable String name,
      @RequestParam(required = false) Long a,
      @RequestParam(required = false) Long b,
      Model model) {
    return page(name, Optional.empty(), a, b, model);
  }

  @GetMapping("/{id}")
  public String one(
      @PathVariable String name,
      @PathVariable long id,
      @RequestParam(required = false) Long a,
      @RequestParam(required = false) Long b,
      Model model) {
    return page(name, Optional.of(releases.get(name, id)), a, b, model);
  }

  private String page(String name, Optional<Release> chosen, Long a, Long b, Model model) {
    App app = apps.get(name);
    List<Release> recent = releases.list(name, 0, 20).items();
    Release shown = chosen.orElse(recent.isEmpty() ? null : recent.getFirst());
    List<Revision> revisions = apps.revisions(name).reversed();
    model.addAttribute("app", app);
    model.addAttribute(
        "release", shown == null ? null : ReleaseJson.of(shown, releases.instances(name)));
    model.addAttribute("releaseModel", shown);
    model.addAttribute("releases", recent);
    model.addAttribute("revisions", revisions);
    model.addAttribute("can", can(app));
    if (a != null && b != null) {
      model.addAttribute("diffA", a);
      model.addAttribute("diffB", b);
      model.addAttribute("diff", diff(name, revisions, a, b));
    }
    return "releases/page";
  }

  private List<RevisionDiff.Change> diff(String app, List<Revision> revisions, long a, long b) {
    return RevisionDiff.between(
        json.valueToTree(spec(app, revisions, a)), json.valueToTree(spec(app, revisions, b)));
  }

  private static Object spec(String app, List<Revision> revisions, long n) {
    return revisions.stream()
        .filter(r -> r.number() == n)
        .findFirst()
        .map(Revision::spec)
        .orElseThrow(() -> new NotFoundException("revision", app + "@" + n));
  }

  @PostMapping("/{id}/{control:promote|pause|resume|abort}")
  public String control(
      @PathVariable String name,
      @PathVariable long id,
      @PathVariable String control,
      RedirectAttributes flash) {
    Flash.run(
        flash,
        () -> {
          Release r =
              switch (control) {
                case "promote" -> releases.promote(name, id);
                case "pause" -> releases.pause(name, id);
                case "resume" -> releases.resume(name, id);
                default -> releases.abort(name, id);
              };
          return "Release " + r.id() + " is " + r.state() + ": " + r.message();
        });
    return "redirect:/apps/" + name + "/releases/" + id;
  }

  @PostMapping("/rollback")
  public String rollback(
      @PathVariable String name, @RequestParam long revision, RedirectAttributes flash) {
    Release[] started = new Release[1];
    Flash.run(
        flash,
        () -> {
          started[0] = releases.rollback(name, revision, null);
          return "Rolling back to revision "
              + revision
              + ": release "
              + started[0].id()
              + " of revision "
              + started[0].toRevision();
        });
    return "redirect:/apps/"
        + name
        + "/releases"
        + (started[0] == null ? "" : "/" + started[0].id());
  }

  /** Which controls the page offers: those the caller's role in the app's team allows. */
  private Map<String, Boolean> can(App app) {
    return Map.of(
        "promote", releases.can(Permission.RELEASE_PROMOTE, app),
        "pause", releases.can(Permission.RELEASE_PAUSE, app),
        "abort", releases.can(Permission.RELEASE_ABORT, app),
        "rollback", releases.can(Permission.APP_ROLLBACK, app));
  }
}
