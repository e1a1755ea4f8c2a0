package dev.berth.server.team;

import dev.berth.core.app.App;
import dev.berth.server.access.ConfirmationRequiredException;
import org.springframework.stereotype.Component;

/**
 * Operations that need the object's name typed back ({@code confirm=<name>}): deleting an app or a
 * cluster (and, when they come, a registry), and scaling to zero an app of a production team or on
 * a production cluster. Admins mark teams and clusters as production.
 */
@Component
public class RedLines {
  private final JdbcTeamStore teams;

  public RedLines(JdbcTeamStore teams) {
    this.teams = teams;
  }

  /** Refuses unless {@code confirm} is exactly {@code name}. */
  public void requireConfirmed(String what, String name, String confirm) {
    if (confirm == null || !confirm.equals(name)) {
      throw new ConfirmationRequiredException(what, name, confirm);
    }
  }

  /** Whether the app belongs to a production team or runs on a production cluster. */
  public boolean isProduction(App app) {
    return teams.isProductionCluster(app.cluster())
        || teams.find(app.team()).map(Team::production).orElse(false);
  }

  /**
   * Scaling {@code app} to {@code instances}: to zero in production needs the app's name typed
   * back.
   */
  public void checkScale(App app, Integer instances, String confirm) {
    if (instances != null && instances == 0 && app.instances() > 0 && isProduction(app)) {
      requireConfirmed("scaling production app '" + app.name() + "' to zero", app.name(), confirm);
    }
  }
}
