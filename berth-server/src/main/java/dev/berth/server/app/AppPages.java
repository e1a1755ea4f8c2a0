package dev.berth.server.app;

import dev.berth.core.app.App;
import dev.berth.core.app.AppRequest;
import dev.berth.core.cluster.ClusterRegistry;
import dev.berth.core.event.EventStore.EventQuery;
import dev.berth.core.runtime.Instance;
import dev.berth.core.support.ConflictException;
import dev.berth.core.support.Page;
import dev.berth.core.support.ValidationException;
import dev.berth.server.access.ConfirmationRequiredException;
import dev.berth.server.access.ForbiddenException;
import dev.berth.server.access.Permission;
import dev.berth.server.event.VisibleEvents;
import dev.berth.server.portal.Flash;
import dev.berth.server.portal.FormErrors;
import dev.berth.server.portal.Paging;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * Applications in the portal: the list, one application's page, the create, modify, scale and
 * delete forms, and the instance actions. Every action is one call of {@link AppOperations}, as in
 * the API, so permissions, red lines and the audit log are the same; actions the caller may not
 * take are hidden.
 */
@Controller
@RequestMapping("/apps")
public class AppPages {
  static final int PAGE_SIZE = 20;
  private final AppOperations apps;
  private final ClusterRegistry clusters;
  private final VisibleEvents events;

  public AppPages(AppOperations apps, ClusterRegistry clusters, VisibleEvents events) {
    this.apps = apps;
    this.clusters = clusters;
    this.events = events;
  }

  @GetMapping
  public String list(
      @RequestParam(defaultValue = "") String q,
      @RequestParam(defaultValue = "0") int page,
      Model model) {
    Page<App> p = apps.list(q, Math.max(0, page), PAGE_SIZE);
    model.addAttribute("q", q);
    model.addAttribute("apps", p.items());
    model.addAttribute("canIn", apps.permissionsByTeam(p.items()));
    model.addAttribute("paging", Paging.of(p, "/apps", Map.of("q", q)));
    return "apps/list";
  }

  @GetMapping("/{name}")
  public String detail(@PathVariable String name, Model model) {
    App app = apps.get(name);
    List<Instance> instances =
        apps.instances(name).stream().sorted(Comparator.comparingInt(Instance::ordinal)).toList();
    model.addAttribute("app", app);
    model.addAttribute("instances", instances);
    model.addAttribute("revisions", apps.revisions(name).reversed());
    model.addAttribute("events", events.query(new EventQuery(name, null, null, 0, 20)));
    model.addAttribute("can", can(app));
    return "apps/detail";
  }

  @GetMapping("/new")
  public String createForm(Model model) {
    return form(model, new AppForm(), Map.of(), true);
  }

  @PostMapping("/new")
  public String create(
      @ModelAttribute("form") AppForm form, Model model, RedirectAttributes flash) {
    FormErrors.Parsed<AppRequest> parsed = form.parse(null);
    if (!parsed.errors().isEmpty()) {
      return form(
          model,
          form,
          AppForm.errorsByField(
              FormErrors.merge(
                  parsed.errors(), apps.problemsOfNew(parsed.request()), AppForm::formField)),
          true);
    }
    try {
      App app = apps.create(parsed.request());
      flash.addFlashAttribute("notice", "Created " + app.name() + "; its instances are starting");
      return "redirect:/apps/" + app.name();
    } catch (ValidationException e) {
      return form(model, form, AppForm.errorsByField(e.errors()), true);
    } catch (ConflictException e) {
      return form(model, form, Map.of("name", List.of(e.getMessage())), true);
    } catch (ForbiddenException e) {
      return form(model, form, Map.of("team", List.of(e.getMessage())), true);
    }
  }

  @GetMapping("/{name}/edit")
  public String editForm(@PathVariable String name, Model model) {
    return form(model, AppForm.of(apps.get(name)), Map.of(), false);
  }

  @PostMapping("/{name}/edit")
  public String update(
      @PathVariable String name,
      @ModelAttribute("form") AppForm form,
      Model model,
      RedirectAttributes flash) {
    App current = apps.get(name);
    form.setName(name);
    FormErrors.Parsed<AppRequest> parsed = form.parse(current.spec());
    if (!parsed.errors().isEmpty()) {
      return form(
          model,
          form,
          AppForm.errorsByField(
              FormErrors.merge(
                  parsed.errors(),
                  apps.problemsOfUpdate(name, parsed.request()),
                  AppForm::formField)),
          false);
    }
    try {
      App saved = apps.update(name, parsed.request(), null);
      flash.addFlashAttribute(
          "notice",
          saved.revision() == current.revision()
              ? "Saved " + name + " (revision " + saved.revision() + ")"
              : "Saved "
                  + name
                  + " as revision "
                  + saved.revision()
                  + "; it rolls out one instance at a time");
      return "redirect:/apps/" + name;
    } catch (ValidationException e) {
      return form(model, form, AppForm.errorsByField(e.errors()), false);
    } catch (ConflictException e) {
      return form(model, form, Map.of("", List.of(e.getMessage())), false);
    }
  }

  private String form(
      Model model, AppForm form, Map<String, List<String>> errors, boolean creating) {
    model.addAttribute("form", form);
    model.addAttribute("errors", errors);
    model.addAttribute("creating", creating);
    model.addAttribute("title", creating ? "New application" : "Modify " + form.getName());
    model.addAttribute("clusters", clusters.clusters());
    return "apps/form";
  }

  @GetMapping("/{name}/scale")
  public String scaleForm(@PathVariable String name, Model model) {
    App app = apps.get(name);
    model.addAttribute("app", app);
    model.addAttribute("instances", Integer.toString(app.instances()));
    model.addAttribute("production", apps.isProduction(app));
    model.addAttribute("errors", Map.of());
    return "apps/scale";
  }

  @PostMapping("/{name}/scale")
  public String scale(
      @PathVariable String name,
      @RequestParam String instances,
      @RequestParam(required = false) Long version,
      @RequestParam(required = false) String confirm,
      Model model,
      RedirectAttributes flash) {
    App app = apps.get(name);
    try {
      Integer n;
      try {
        n = instances.isBlank() ? null : Integer.valueOf(instances.strip());
      } catch (NumberFormatException e) {
        throw ValidationException.of(
            "instances", "must be a whole number, was '" + instances + "'");
      }
      App saved = apps.scale(name, n, version, confirm);
      flash.addFlashAttribute(
          "notice", "Scaled " + name + " to " + saved.instances() + " instance(s)");
      return "redirect:/apps/" + name;
    } catch (ValidationException | ConflictException | ConfirmationRequiredException e) {
      model.addAttribute("app", app);
      model.addAttribute("instances", instances);
      model.addAttribute("production", apps.isProduction(app));
      model.addAttribute(
          "errors",
          switch (e) {
            case ValidationException v -> AppForm.errorsByField(v.errors());
            case ConfirmationRequiredException c -> Map.of("confirm", List.of(c.getMessage()));
            default -> Map.of("", List.of(e.getMessage()));
          });
      return "apps/scale";
    }
  }

  @GetMapping("/{name}/release")
  public String releaseForm(@PathVariable String name, Model model) {
    App app = apps.get(name);
    model.addAttribute("app", app);
    model.addAttribute("image", app.spec().image());
    model.addAttribute("errors", Map.of());
    return "apps/release";
  }

  /** A new image and nothing else, as an API PATCH of {@code image} (operators may). */
  @PostMapping("/{name}/release")
  public String release(
      @PathVariable String name,
      @RequestParam String image,
      @RequestParam(required = false) Long version,
      Model model,
      RedirectAttributes flash) {
    App app = apps.get(name);
    try {
      App saved = apps.release(name, image.strip(), version);
      flash.addFlashAttribute(
          "notice",
          saved.revision() == app.revision()
              ? name + " already runs " + saved.spec().image()
              : "Released "
                  + saved.spec().image()
                  + " as revision "
                  + saved.revision()
                  + "; it rolls out one instance at a time");
      return "redirect:/apps/" + name;
    } catch (ValidationException | ConflictException e) {
      model.addAttribute("app", app);
      model.addAttribute("image", image);
      model.addAttribute(
          "errors",
          e instanceof ValidationException v
              ? AppForm.errorsByField(v.errors())
              : Map.of("", List.of(e.getMessage())));
      return "apps/release";
    }
  }

  @GetMapping("/{name}/delete")
  public String deleteForm(@PathVariable String name, Model model) {
    model.addAttribute("app", apps.get(name));
    return "apps/delete";
  }

  @PostMapping("/{name}/delete")
  public String delete(
      @PathVariable String name,
      @RequestParam(defaultValue = "") String confirm,
      Model model,
      RedirectAttributes flash) {
    try {
      apps.delete(name, confirm);
    } catch (ConfirmationRequiredException e) {
      model.addAttribute("app", apps.get(name));
      model.addAttribute("error", e.getMessage());
      return "apps/delete";
    }
    flash.addFlashAttribute(
        "notice",
        name + " is being deleted: its instances stop, then it disappears from this list");
    return "redirect:/apps";
  }

  @PostMapping("/{name}/instances/{id}/restart")
  public String restart(
      @PathVariable String name, @PathVariable String id, RedirectAttributes flash) {
    Flash.run(
        flash,
        () -> {
          apps.restartInstance(name, id);
          return "Restarting " + id;
        });
    return "redirect:/apps/" + name;
  }

  @PostMapping("/{name}/instances/{id}/delete")
  public String deleteInstance(
      @PathVariable String name,
      @PathVariable String id,
      @RequestParam(defaultValue = "false") boolean replace,
      @RequestParam(required = false) String confirm,
      RedirectAttributes flash) {
    Flash.run(flash, () -> apps.deleteInstance(name, id, replace, confirm));
    return "redirect:/apps/" + name;
  }

  /** Which actions the page offers: those the caller's role in the app's team allows. */
  private Map<String, Boolean> can(App app) {
    return Map.of(
        "edit", apps.can(Permission.APP_UPDATE_SPEC, app),
        "release",
            apps.can(Permission.APP_RELEASE, app) && !apps.can(Permission.APP_UPDATE_SPEC, app),
        "scale", apps.can(Permission.APP_SCALE, app),
        "delete", apps.can(Permission.APP_DELETE, app),
        "restart", apps.can(Permission.APP_RESTART, app),
        "deleteInstance", apps.can(Permission.INSTANCE_DELETE, app),
        "exec", apps.can(Permission.INSTANCE_EXEC, app));
  }
}
