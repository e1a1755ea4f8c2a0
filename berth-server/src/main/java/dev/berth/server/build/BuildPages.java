package dev.berth.server.build;

import dev.berth.core.support.BerthException;
import dev.berth.core.support.Page;
import dev.berth.core.support.ValidationException;
import dev.berth.oci.build.BuildSpec;
import dev.berth.server.access.ForbiddenException;
import dev.berth.server.portal.Paging;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.multipart.MultipartFile;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * Image builds in the portal: the builds and templates, a build's page with its log, and a form to
 * start a build (or save a template) with an archive and files to add. Each action is one call of
 * {@link BuildOperations}, as in the API, so permissions and the audit log are the same; actions
 * the caller may not take are hidden (and refused with the 403 page when asked for by URL).
 */
@Controller
public class BuildPages {
  static final int PAGE_SIZE = 20;
  private final BuildOperations builds;
  private final Clock clock;

  public BuildPages(BuildOperations builds, Clock clock) {
    this.builds = builds;
    this.clock = clock;
  }

  @GetMapping("/builds")
  public String list(
      @RequestParam(defaultValue = "") String q,
      @RequestParam(defaultValue = "0") int page,
      Model model) {
    Page<Build> p = builds.list(q.strip(), Math.max(0, page), PAGE_SIZE);
    Map<String, String> filters = new LinkedHashMap<>();
    filters.put("q", q);
    model.addAttribute("builds", p.items());
    model.addAttribute("active", p.items().stream().anyMatch(b -> !b.state().isFinal()));
    model.addAttribute("paging", Paging.of(p, "/builds", filters));
    model.addAttribute("q", q);
    model.addAttribute("templates", builds.templates());
    model.addAttribute("now", clock.instant());
    model.addAttribute("canBuild", builds.canBuild());
    model.addAttribute("canManageTemplates", builds.canManageTemplates());
    return "builds/list";
  }

  @GetMapping("/builds/new")
  public String createForm(@RequestParam(defaultValue = "") String template, Model model) {
    if (!builds.canBuild()) {
      throw builds.buildRefused();
    }
    BuildForm form = new BuildForm();
    form.setTemplate(template);
    form.setTeam(builds.defaultTeam());
    return form(form, Map.of(), model);
  }

  @PostMapping("/builds/new")
  public String create(
      @ModelAttribute("form") BuildForm form,
      @RequestParam(value = "archive", required = false) MultipartFile archive,
      @RequestParam(value = "files", required = false) List<MultipartFile> files,
      Model model,
      RedirectAttributes flash) {
    Map<String, MultipartFile> parts = new LinkedHashMap<>();
    try {
      BuildSpec spec = form.toSpec(archive, files, parts);
      if (!form.getTemplateName().isBlank()) {
        BuildService.SavedTemplate saved =
            builds.saveTemplate(form.getTemplateName().strip(), spec, parts);
        flash.addFlashAttribute(
            "notice",
            (saved.created() ? "Created" : "Changed")
                + " template "
                + saved.template().name()
                + "; build #"
                + saved.build().id()
                + " is queued");
        return "redirect:/builds/" + saved.build().id();
      }
      Build build = builds.submit(spec, parts, form.getTeam(), "portal");
      flash.addFlashAttribute(
          "notice", "Build #" + build.id() + " of " + spec.image() + " is queued");
      return "redirect:/builds/" + build.id();
    } catch (ValidationException e) {
      return form(form, BuildForm.errorsByField(e.errors()), model);
    } catch (ForbiddenException e) {
      if (!form.getTemplateName().isBlank()) {
        throw e;
      }
      return form(form, Map.of("team", List.of(e.getMessage())), model);
    }
  }

  @GetMapping("/builds/{id}")
  public String detail(@PathVariable long id, Model model) {
    Build build = builds.get(id);
    model.addAttribute("build", build);
    model.addAttribute("duration", build.duration(clock.instant()));
    model.addAttribute("logLines", build.log() == null ? List.of() : build.log().lines().toList());
    model.addAttribute("canManageTemplates", builds.canManageTemplates());
    return "builds/detail";
  }

  /**
   * Rebuilds a template (admins); a refusal is the 403 page, other failures a message on the list.
   */
  @PostMapping("/build-templates/{name}/build")
  public String rebuild(@PathVariable String name, RedirectAttributes flash) {
    try {
      long id = builds.buildTemplate(name).id();
      flash.addFlashAttribute("notice", "Rebuilding template " + name + " as build #" + id);
      return "redirect:/builds/" + id;
    } catch (ForbiddenException e) {
      throw e;
    } catch (BerthException e) {
      flash.addFlashAttribute("failure", e.getMessage());
      return "redirect:/builds";
    }
  }

  /**
   * Deletes a template (admins); a refusal is the 403 page, other failures a message on the list.
   */
  @PostMapping("/build-templates/{name}/delete")
  public String deleteTemplate(@PathVariable String name, RedirectAttributes flash) {
    try {
      builds.deleteTemplate(name);
      flash.addFlashAttribute(
          "notice", "Deleted template " + name + "; its images stay in the registry");
    } catch (ForbiddenException e) {
      throw e;
    } catch (BerthException e) {
      flash.addFlashAttribute("failure", e.getMessage());
    }
    return "redirect:/builds";
  }

  private String form(BuildForm form, Map<String, List<String>> errors, Model model) {
    model.addAttribute("form", form);
    model.addAttribute("errors", errors);
    model.addAttribute("templates", builds.templates());
    model.addAttribute("canManageTemplates", builds.canManageTemplates());
    return "builds/form";
  }
}
