package dev.berth.server.gateway;

import static dev.berth.server.access.Permission.CLUSTER_READ;

import dev.berth.core.app.AppStore;
import dev.berth.server.access.Access;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

/** The Gateway page: nginx's status, every app's routes and every mirror. */
@Controller
public class GatewayPages {
  private final ObjectProvider<Gateway> gateway;
  private final AppStore apps;
  private final JdbcMirrorStore mirrors;
  private final Access access;
  private final GatewayProperties settings;

  public GatewayPages(
      ObjectProvider<Gateway> gateway,
      AppStore apps,
      JdbcMirrorStore mirrors,
      Access access,
      GatewayProperties settings) {
    this.gateway = gateway;
    this.apps = apps;
    this.mirrors = mirrors;
    this.access = access;
    this.settings = settings;
  }

  @GetMapping("/gateway")
  public String gateway(Model model) {
    access.require(CLUSTER_READ, null);
    Gateway g = gateway.getIfAvailable();
    model.addAttribute("status", g != null ? g.status() : GatewayApi.off(settings));
    model.addAttribute("routes", GatewayWiring.routes(apps));
    model.addAttribute("mirrors", mirrors.all());
    return "gateway/index";
  }
}
