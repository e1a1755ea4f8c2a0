package dev.berth.server.image;

import dev.berth.core.support.ConflictException;
import dev.berth.core.support.ValidationException;
import dev.berth.server.access.Access;
import dev.berth.server.access.Permission;
import dev.berth.server.portal.FormErrors;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * The forms that add a registry and a replication rule: one call of {@link ImageOperations} each,
 * as {@code POST /api/v1/registries} and {@code POST /api/v1/replications} (same checks,
 * permissions and audit log). Offered to whoever holds {@code registry.manage} or {@code
 * replication.manage}; others get a 403 page. Every field's error shows beside it; the password is
 * never sent back to the page.
 */
@Controller
@RequestMapping("/images")
public class ImageForms {
  private final ImageOperations images;
  private final Access access;

  public ImageForms(ImageOperations images, Access access) {
    this.images = images;
    this.access = access;
  }

  /** The registry form as typed; the password is not kept. */
  public record RegistryInput(String name, String url, String username, String password) {
    static RegistryInput empty() {
      return new RegistryInput("", "", "", "");
    }
  }

  /**
   * The rule form as typed: {@code targets} is one target a line, {@code registry} or {@code
   * registry/prefix}.
   */
  public record RuleInput(
      String name, String sourceRegistry, String filter, String targets, Boolean enabled) {
    static RuleInput empty() {
      return new RuleInput("", "", "", "", true);
    }

    List<ReplicationRule.Target> targetList() {
      return targets == null
          ? List.of()
          : targets
              .lines()
              .map(String::strip)
              .filter(l -> !l.isEmpty())
              .map(
                  l -> {
                    int slash = l.indexOf('/');
                    return slash < 0
                        ? new ReplicationRule.Target(l, "")
                        : new ReplicationRule.Target(l.substring(0, slash), l.substring(slash + 1));
                  })
              .toList();
    }
  }

  @GetMapping("/registries/new")
  public String registryForm(Model model) {
    access.require(Permission.REGISTRY_MANAGE, null);
    return registryForm(model, RegistryInput.empty(), Map.of());
  }

  @PostMapping("/registries/new")
  public String addRegistry(
      @ModelAttribute("form") RegistryInput form, Model model, RedirectAttributes flash) {
    try {
      RegistryDirectory.View v =
          images.addRegistry(
              strip(form.name()),
              strip(form.url()),
              blankToNull(form.username()),
              blankToNull(form.password()));
      flash.addFlashAttribute(
          "notice", "Added registry " + v.name() + "; Berth reached it at " + v.url());
      return "redirect:/images?registry=" + v.name();
    } catch (ValidationException e) {
      return registryForm(
          model,
          form,
          FormErrors.byField(
              e.errors(),
              f -> List.of("name", "url", "username", "password").contains(f) ? f : ""));
    } catch (ConflictException e) {
      return registryForm(model, form, Map.of("name", List.of(e.getMessage())));
    }
  }

  @GetMapping("/replications/new")
  public String ruleForm(Model model) {
    access.require(Permission.REPLICATION_MANAGE, null);
    return ruleForm(model, RuleInput.empty(), Map.of());
  }

  @PostMapping("/replications/new")
  public String createRule(
      @ModelAttribute("form") RuleInput form, Model model, RedirectAttributes flash) {
    try {
      ReplicationRule r =
          images.createRule(
              strip(form.name()),
              strip(form.sourceRegistry()),
              strip(form.filter()),
              form.targetList(),
              Boolean.TRUE.equals(form.enabled()));
      flash.addFlashAttribute(
          "notice",
          "Created replication rule "
              + r.name()
              + ": "
              + r.sourceRegistry()
              + " "
              + r.filter()
              + " is copied to "
              + String.join(
                  ", ",
                  r.targets().stream()
                      .map(
                          t ->
                              t.namespace().isEmpty()
                                  ? t.registry()
                                  : t.registry() + "/" + t.namespace())
                      .toList()));
      return "redirect:/images";
    } catch (ValidationException e) {
      return ruleForm(model, form, FormErrors.byField(e.errors(), ImageForms::ruleField));
    } catch (ConflictException e) {
      return ruleForm(model, form, Map.of("name", List.of(e.getMessage())));
    }
  }

  static String ruleField(String apiField) {
    if (apiField.startsWith("targets")) {
      return "targets";
    }
    return List.of("name", "sourceRegistry", "filter").contains(apiField) ? apiField : "";
  }

  private String registryForm(Model model, RegistryInput form, Map<String, List<String>> errors) {
    model.addAttribute("form", new RegistryInput(form.name(), form.url(), form.username(), ""));
    model.addAttribute("errors", errors);
    return "images/registry-form";
  }

  private String ruleForm(Model model, RuleInput form, Map<String, List<String>> errors) {
    model.addAttribute("form", form);
    model.addAttribute("errors", errors);
    model.addAttribute("registries", images.registries());
    return "images/rule-form";
  }

  private static String strip(String s) {
    return s == null ? null : s.strip();
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s.strip();
  }
}
