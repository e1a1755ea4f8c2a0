package dev.berth.server.image;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.net.URI;
import java.security.Principal;
import java.util.List;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import dev.berth.server.web.Actors;

/**
 * Registries: add (checked, password sealed), list, test the connection, remove (confirmed by name).
 * Passwords go in and never come out. Changes are admin-only.
 */
@RestController
@RequestMapping("/api/v1")
@Tag(name = "registries", description = "Image registries Berth browses and replicates between")
public class RegistryApi {
  private final RegistryDirectory registries;
  private final Replications replications;

  public RegistryApi(RegistryDirectory registries, Replications replications) {
    this.registries = registries;
    this.replications = replications;
  }

  /** The body of {@code POST /registries}. */
  public record RegistryJson(String name, String url, String username, String password) {}

  @GetMapping("/registries")
  @Operation(summary = "Registries, without their passwords")
  public List<RegistryDirectory.View> list() {
    return registries.views();
  }

  @GetMapping("/registries/{name}")
  @Operation(summary = "One registry, without its password")
  public RegistryDirectory.View get(@PathVariable String name) {
    return registries.view(name);
  }

  @PostMapping("/registries")
  @PreAuthorize("hasRole('ADMIN')")
  @Operation(summary = "Add a registry; Berth checks that it answers and accepts the credentials before storing it")
  public ResponseEntity<RegistryDirectory.View> add(@RequestBody RegistryJson body, Principal principal) {
    RegistryDirectory.View v = registries.add(body.name(), body.url(), body.username(), body.password(), Actors.name(principal));
    return ResponseEntity.created(URI.create("/api/v1/registries/" + v.name())).body(v);
  }

  @PostMapping("/registries/{name}/test")
  @Operation(summary = "Test the connection and credentials of a registry")
  public RegistryDirectory.Check test(@PathVariable String name) {
    return registries.test(name);
  }

  @DeleteMapping("/registries/{name}")
  @PreAuthorize("hasRole('ADMIN')")
  @Operation(summary = "Remove a registry; needs confirm=<name>; refused while replication rules use it")
  public ResponseEntity<Void> delete(@PathVariable String name, @RequestParam(required = false) String confirm, Principal principal) {
    registries.remove(name, confirm, replications.rulesUsing(name), Actors.name(principal));
    return ResponseEntity.noContent().build();
  }
}
