package dev.berth.server.image;

import dev.berth.server.web.ListJson;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.net.URI;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * Registries: add (checked, password sealed), list, test the connection, remove (confirmed by
 * name). Passwords go in and never come out. Everyone signed in reads; adding, testing and removing
 * are admins' ({@link ImageOperations}), and audited.
 */
@RestController
@RequestMapping("/api/v1")
@Tag(name = "registries", description = "Image registries Berth browses and replicates between")
public class RegistryApi {
  private final ImageOperations images;

  public RegistryApi(ImageOperations images) {
    this.images = images;
  }

  /** The body of {@code POST /registries}. */
  public record RegistryJson(
      @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "dc1") String name,
      @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "https://registry.example.com")
          String url,
      String username,
      String password) {}

  @GetMapping("/registries")
  @Operation(summary = "Registries, without their passwords")
  public ListJson<RegistryDirectory.View> list() {
    return ListJson.of(images.registries());
  }

  @GetMapping("/registries/{name}")
  @Operation(summary = "One registry, without its password")
  public RegistryDirectory.View get(@PathVariable String name) {
    return images.registry(name);
  }

  @PostMapping("/registries")
  @Operation(
      summary =
          "Add a registry; Berth checks that it answers and accepts the credentials before storing it")
  @ResponseStatus(HttpStatus.CREATED)
  public ResponseEntity<RegistryDirectory.View> add(@RequestBody RegistryJson body) {
    RegistryDirectory.View v =
        images.addRegistry(body.name(), body.url(), body.username(), body.password());
    return ResponseEntity.created(URI.create("/api/v1/registries/" + v.name())).body(v);
  }

  @PostMapping("/registries/{name}/test")
  @Operation(summary = "Test the connection and credentials of a registry (admins)")
  public RegistryDirectory.Check test(@PathVariable String name) {
    return images.testRegistry(name);
  }

  @DeleteMapping("/registries/{name}")
  @Operation(
      summary = "Remove a registry; needs confirm=<name>; refused while replication rules use it")
  @ResponseStatus(HttpStatus.NO_CONTENT)
  public ResponseEntity<Void> delete(
      @PathVariable String name, @RequestParam(required = false) String confirm) {
    images.removeRegistry(name, confirm);
    return ResponseEntity.noContent().build();
  }
}
