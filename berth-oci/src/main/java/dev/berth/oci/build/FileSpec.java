package dev.berth.oci.build;

/**
 * One file a build adds to an image: its absolute path in the image and where its bytes come from,
 * either {@code content} (UTF-8 text given inline) or {@code source} (the name of an uploaded
 * part).
 *
 * @param path absolute path in the image, e.g. {@code /www/index.html}
 * @param content the file's text, or {@code null} when {@code source} is given
 * @param source the name of an uploaded part holding the bytes, or {@code null}
 * @param mode octal permission bits, e.g. {@code 0644} or {@code 755}; {@code null} means 0644
 */
public record FileSpec(String path, String content, String source, String mode) {
  /** The permission bits for {@link #mode}, 0644 when none was given (call after validation). */
  public int permissions() {
    return mode == null ? 0644 : Integer.parseInt(mode, 8);
  }
}
