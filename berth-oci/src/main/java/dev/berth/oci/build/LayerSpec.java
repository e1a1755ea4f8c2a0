package dev.berth.oci.build;

import java.util.List;

/**
 * One layer group of a build: what changes rarely goes in a low layer (runtime, dependencies), what
 * changes often in a high one (the application), so a rebuild re-uploads only the layers that
 * changed.
 *
 * @param name a short name for the build log and the portal, e.g. {@code deps} or {@code app}
 * @param files single files to add
 * @param archives uploaded archives to unpack
 */
public record LayerSpec(String name, List<FileSpec> files, List<ArchiveSpec> archives) {
  public LayerSpec {
    files = BuildSpec.listOf(files);
    archives = BuildSpec.listOf(archives);
  }
}
