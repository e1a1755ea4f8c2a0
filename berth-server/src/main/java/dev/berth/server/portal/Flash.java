package dev.berth.server.portal;

import dev.berth.core.support.BerthException;
import java.util.function.Supplier;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * Runs a portal action and leaves its outcome for the next page: the action's own sentence on
 * success, the service's reason on failure ("a failed action shows why").
 */
public final class Flash {
  private Flash() {}

  /** Runs {@code action}; its result is the success message. Returns whether it succeeded. */
  public static boolean run(RedirectAttributes flash, Supplier<String> action) {
    try {
      flash.addFlashAttribute("notice", action.get());
      return true;
    } catch (BerthException | IllegalArgumentException e) {
      flash.addFlashAttribute("failure", e.getMessage());
      return false;
    }
  }
}
