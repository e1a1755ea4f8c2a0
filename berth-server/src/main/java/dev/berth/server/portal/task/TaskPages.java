package dev.berth.server.portal.task;

import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;

/** Short tasks: an empty state until the task service is in. */
@Controller
public class TaskPages {
  @GetMapping("/tasks")
  public String list() {
    return "tasks/list";
  }
}
