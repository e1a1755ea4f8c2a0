package dev.berth.server.portal.image;

import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;

/** Image repositories: an empty state until the image registry API exists. */
@Controller
public class ImagePages {
  @GetMapping("/images")
  public String list() {
    return "images/list";
  }
}
