package dev.berth.server.image;

import dev.berth.core.support.NotFoundException;
import dev.berth.core.support.ValidationException;
import dev.berth.oci.registry.ImageDetail;
import dev.berth.server.web.ListJson;
import io.swagger.v3.oas.annotations.Hidden;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Browsing registries: {@code GET /images?registry=&q=&cursor=&size=} pages through repositories;
 * {@code GET /images/tags?registry=&repository=} lists tags newest first (by the image config's
 * creation time) with the newest named; {@code GET
 * /images/manifests?registry=&repository=&reference=} shows platforms, layers and sizes. {@code
 * registry} may be left out when Berth knows exactly one registry. Every signed-in user may browse
 * ({@code registry.read}).
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
  @Operation(summary = "Repositories of a registry, a page at a time (send 'next' as cursor)")
  public ListJson<String> repositories(
      @RequestParam(required = false) String registry,
      @RequestParam(required = false) String q,
      @RequestParam(required = false) String cursor,
      @Parameter(deprecated = true, description = "the former name of cursor")
          @RequestParam(required = false)
          String last,
      @RequestParam(defaultValue = "50") int size) {
    if (size < 1 || size > 1000) {
      throw ValidationException.of("size", "must be between 1 and 1000, was " + size);
    }
    ImageBrowser.RepositoryPage page =
        images.repositories(registry(registry), q, cursor != null ? cursor : last, size);
    return new ListJson<>(page.items(), page.next(), null);
  }

  @GetMapping("/images/tags")
  @Operation(
      summary =
          "Tags of a repository, newest first (by the image config's creation time), with digest and size; the newest is named")
  public ImageBrowser.TagList tags(
      @RequestParam(required = false) String registry,
      @Parameter(required = true, example = "demo/busybox") @RequestParam String repository) {
    return images.tags(registry(registry), repository);
  }

  /** A manifest of a repository: platforms, layers and sizes. */
  public record ManifestJson(String registry, String repository, ImageDetail detail) {}

  @GetMapping("/images/manifests")
  @Operation(summary = "The manifest of a tag or digest: platforms, layers and sizes")
  public ManifestJson manifest(
      @RequestParam(required = false) String registry,
      @Parameter(required = true, example = "demo/busybox") @RequestParam String repository,
      @Parameter(required = true, example = "1") @RequestParam String reference) {
    String reg = registry(registry);
    return new ManifestJson(reg, repository, images.detail(reg, repository, reference));
  }

  /**
   * The same as {@code /images/tags} and {@code /images/manifests} with the repository in the path,
   * as before; not in the API description.
   */
  @Hidden
  @GetMapping("/images/**")
  public Object repository(
      HttpServletRequest request, @RequestParam(required = false) String registry) {
    String path =
        request
            .getRequestURI()
            .substring(request.getContextPath().length() + "/api/v1/images/".length());
    path = java.net.URLDecoder.decode(path, java.nio.charset.StandardCharsets.UTF_8);
    if (path.endsWith("/tags")) {
      return tags(registry, path.substring(0, path.length() - "/tags".length()));
    }
    int m = path.lastIndexOf("/manifests/");
    if (m > 0) {
      return manifest(registry, path.substring(0, m), path.substring(m + "/manifests/".length()));
    }
    throw new NotFoundException(
        "image path",
        path
            + " (use /api/v1/images/tags?repository= or /api/v1/images/manifests?repository=&reference=)");
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
    throw ValidationException.of(
        "registry",
        all.isEmpty()
            ? "no registry is known yet; add one with POST /api/v1/registries"
            : "is required when several registries are known: one of "
                + all.stream().map(RegistryDirectory.View::name).toList());
  }
}
