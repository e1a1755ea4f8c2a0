package dev.berth.oci;

import java.nio.file.Path;

/**
 * An image ready to run: its manifest digest, the unpacked root filesystem (read-only by
 * convention: instances put an overlay on top) and the runtime config from the image's config blob.
 */
public record PreparedImage(String reference, String digest, Path rootfs, ImageConfig config) {}
