package dev.berth.oci.registry;

/** An OCI content descriptor: media type, digest, size, and (in an index) the platform, or null. */
public record Descriptor(String mediaType, String digest, long size, Platform platform) {}
