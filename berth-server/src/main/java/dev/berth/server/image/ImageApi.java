package dev.berth.server.image;

import dev.berth.core.support.NotFoundException;
import dev.berth.core.support.ValidationException;
import dev.berth.oci.registry.ImageDetail;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import java.util.Map;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Browsing registries: {@code GET /images?registry=&q=&last=&size=} pages through repositories; {@code GET
 * /images/{repo}/tags?registry=} lists tags newest first (by the image config's creation time) with
 * the newest named; {@code GET /images/{repo}/manifests/{tag-or-digest}?registry=} shows platforms,
 * layers and sizes. {@code registry} may be left out when Berth knows exactly one registry. Every
 * signed-in user may browse ({@code registry.read}).
 */
@RestController
@RequestMapping("/api/v1")
@Tag(name = "images", description = "Browse repositories, tags and manifests of registries")
public class ImageApi {
  private final ImageOperations images;

  public ImageApi(ImageOperations images) {
    this.images = images;
  }

  @GetMapping("/images")
  @Operation(summary = "Repositories of a registry, a page at a time (next: the 'last' of the following page)")
  public ImageBrowser.RepositoryPage repositories(
      @RequestParam(required = false) String registry,
      @RequestParam(required = false) String q,
      @RequestParam(required = false) String last,
      @RequestParam(defaultValue = "50") int size) {
    if (size < 1 || size > 1000) {
      throw ValidationException.of("size", "must be between 1 and 1000, was " + size);
    }
    return images.repositories(registry(registry), q, last, size);
  }

  @GetMapping("/images/**")
  @Operation(summary = "{repo}/tags: tags newest first; {repo}/manifests/{tag or digest}: platforms, layers, sizes")
  public Object repository(HttpServletRequest request, @RequestParam(required = false) String registry) {
    String path = request.getRequestURI().substring(request.getContextPath().length() + "/api/v1/images/".length());
    path = java.net.URLDecoder.decode(path, java.nio.charset.StandardCharsets.UTF_8);
    String reg = registry(registry);
    if (path.endsWith("/tags")) {
      return images.tags(reg, path.substring(0, path.length() - "/tags".length()));
    }
    int m = path.lastIndexOf("/manifests/");
    if (m > 0) {
      ImageDetail d = images.detail(reg, path.substring(0, m), path.substring(m + "/manifests/".length()));
      return Map.of("registry", reg, "repository", path.substring(0, m), "detail", d);
    }
    throw new NotFoundException("image path", path + " (use /api/v1/images/{repo}/tags or /api/v1/images/{repo}/manifests/{tag})");
  }

  private String registry(String given) {
    if (given != null && !given.isBlank()) {
      images.registry(given);
      return given;
    }
    List<RegistryDirectory.View> all = images.registries();
    if (all.size() == 1) {
      return all.getFirst().name();
    }
    throw ValidationException.of("registry", all.isEmpty()
        ? "no registry is known yet; add one with POST /api/v1/registries"
        : "is required when several registries are known: one of " + all.stream().map(RegistryDirectory.View::name).toList());
  }
}
