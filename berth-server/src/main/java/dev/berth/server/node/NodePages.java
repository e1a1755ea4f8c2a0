package dev.berth.server.node;

import dev.berth.core.node.Drain;
import dev.berth.core.support.BerthException;
import dev.berth.core.support.ValidationException;
import dev.berth.server.access.Access;
import dev.berth.server.access.Permission;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * The portal's node actions (the Nodes page offers them to admins): cordon, uncordon, drain with a
 * deadline and surge, cancel, labels; and the drain page, whose progress refreshes live with each
 * instance's phase and blocking reason.
 */
@Controller
@RequestMapping("/nodes/{cluster}/{node}")
public class NodePages {
  private final NodeOperations nodes;
  private final Access access;

  public NodePages(NodeOperations nodes, Access access) {
    this.nodes = nodes;
    this.access = access;
  }

  @PostMapping("/cordon")
  public String cordon(
      @PathVariable String cluster, @PathVariable String node, RedirectAttributes flash) {
    return act(flash, "Node " + node + " cordoned", () -> nodes.schedulable(cluster, node, false));
  }

  @PostMapping("/uncordon")
  public String uncordon(
      @PathVariable String cluster, @PathVariable String node, RedirectAttributes flash) {
    return act(flash, "Node " + node + " uncordoned", () -> nodes.schedulable(cluster, node, true));
  }

  @PostMapping("/labels")
  public String label(
      @PathVariable String cluster,
      @PathVariable String node,
      @RequestParam(defaultValue = "") String set,
      @RequestParam(defaultValue = "") String remove,
      RedirectAttributes flash) {
    Map<String, String> labels = new LinkedHashMap<>();
    if (!set.isBlank()) {
      int eq = set.indexOf('=');
      if (eq <= 0) {
        flash.addFlashAttribute("failure", "Label: write key=value, such as disk=ssd");
        return "redirect:/nodes";
      }
      labels.put(set.substring(0, eq).strip(), set.substring(eq + 1).strip());
    }
    if (!remove.isBlank()) {
      labels.put(remove.strip(), null);
    }
    return act(flash, "Labels of " + node + " changed", () -> nodes.label(cluster, node, labels));
  }

  @PostMapping("/drain")
  public String drain(
      @PathVariable String cluster,
      @PathVariable String node,
      @RequestParam(defaultValue = "") String deadline,
      @RequestParam(defaultValue = "false") boolean surge,
      RedirectAttributes flash) {
    try {
      nodes.drain(cluster, node, new NodeOperations.DrainRequest(deadline, surge));
      flash.addFlashAttribute("notice", "Drain of " + node + " started");
      return "redirect:/nodes/" + cluster + "/" + node + "/drain";
    } catch (ValidationException e) {
      flash.addFlashAttribute("failure", "Drain: " + e.errors().getFirst().message());
    } catch (BerthException e) {
      flash.addFlashAttribute("failure", e.getMessage());
    }
    return "redirect:/nodes";
  }

  @PostMapping("/drain/cancel")
  public String cancel(
      @PathVariable String cluster, @PathVariable String node, RedirectAttributes flash) {
    act(flash, "Drain of " + node + " cancelled", () -> nodes.cancel(cluster, node));
    return "redirect:/nodes/" + cluster + "/" + node + "/drain";
  }

  @GetMapping("/drain")
  public String progress(@PathVariable String cluster, @PathVariable String node, Model model) {
    Drain d = nodes.progress(cluster, node).orElse(null);
    model.addAttribute("cluster", cluster);
    model.addAttribute("node", node);
    model.addAttribute("drain", d);
    model.addAttribute("canManage", access.caller().can(Permission.NODE_MANAGE, null));
    return "nodes/drain";
  }

  private static String act(RedirectAttributes flash, String done, Supplier<?> action) {
    try {
      action.get();
      flash.addFlashAttribute("notice", done);
    } catch (ValidationException e) {
      flash.addFlashAttribute("failure", e.errors().getFirst().message());
    } catch (BerthException e) {
      flash.addFlashAttribute("failure", e.getMessage());
    }
    return "redirect:/nodes";
  }
}
