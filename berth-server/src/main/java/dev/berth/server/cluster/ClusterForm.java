package dev.berth.server.cluster;

import dev.berth.core.support.ConflictException;
import dev.berth.core.support.ValidationException;
import dev.berth.server.access.Access;
import dev.berth.server.access.Permission;
import dev.berth.server.cluster.ClusterOperations.ClusterJson;
import dev.berth.server.portal.FormErrors;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * The form that registers a Kubernetes cluster: one call of {@link ClusterOperations#register}, as
 * {@code POST /api/v1/clusters} (Berth connects before it stores anything; same permission and
 * audit log). Offered to whoever holds {@code cluster.create}; the kubeconfig is never sent back to
 * the page.
 */
@Controller
public class ClusterForm {
  private static final List<String> FIELDS =
      List.of("name", "kubeconfig", "inCluster", "namespace", "zone");
  private final ClusterOperations clusters;
  private final Access access;

  public ClusterForm(ClusterOperations clusters, Access access) {
    this.clusters = clusters;
    this.access = access;
  }

  /** The form as typed; an unticked box sends no {@code inCluster}. */
  public record Input(
      String name, String kubeconfig, Boolean inCluster, String namespace, String zone) {}

  @GetMapping("/clusters/new")
  public String form(Model model) {
    access.require(Permission.CLUSTER_CREATE, null);
    return form(model, new Input("", "", false, "", ""), Map.of());
  }

  @PostMapping("/clusters/new")
  public String register(
      @ModelAttribute("form") Input form, Model model, RedirectAttributes flash) {
    try {
      ClusterJson c =
          clusters.register(
              strip(form.name()),
              blankToNull(form.kubeconfig()),
              Boolean.TRUE.equals(form.inCluster()),
              blankToNull(form.namespace()),
              blankToNull(form.zone()));
      flash.addFlashAttribute(
          "notice",
          "Registered cluster "
              + c.name()
              + " ("
              + c.message()
              + "); apps may now be created on it");
      return "redirect:/clusters";
    } catch (ValidationException e) {
      return form(model, form, FormErrors.byField(e.errors(), f -> FIELDS.contains(f) ? f : ""));
    } catch (ConflictException e) {
      return form(model, form, Map.of("name", List.of(e.getMessage())));
    }
  }

  private String form(Model model, Input form, Map<String, List<String>> errors) {
    model.addAttribute(
        "form", new Input(form.name(), "", form.inCluster(), form.namespace(), form.zone()));
    model.addAttribute("errors", errors);
    return "clusters/form";
  }

  private static String strip(String s) {
    return s == null ? null : s.strip();
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s.strip();
  }
}
