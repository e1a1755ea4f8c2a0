package dev.berth.oci.build;

/**
 * An uploaded archive (tar, tar.gz or zip, told apart by content) unpacked into a directory of the
 * image. Entries keep their permission bits; regular files and directories only.
 *
 * @param source the name of the uploaded part holding the archive
 * @param dir absolute directory in the image to unpack into; {@code null} means {@code /}
 */
public record ArchiveSpec(String source, String dir) {
  /** The target directory, {@code /} when none was given. */
  public String target() {
    return dir == null || dir.isEmpty() ? "/" : dir;
  }
}
