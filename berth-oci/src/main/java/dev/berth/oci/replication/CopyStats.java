package dev.berth.oci.replication;

/**
 * What one copy did.
 *
 * @param digest the digest of the manifest or index now in the target
 * @param bytes blob bytes streamed from source to target (mounted and skipped blobs count nothing)
 * @param blobsCopied blobs streamed
 * @param blobsSkipped blobs the target already had
 * @param blobsMounted blobs mounted from another repository of the same registry
 * @param manifests manifests pushed (an index counts with its children)
 * @param upToDate the target already had this digest under the reference; nothing was sent
 */
public record CopyStats(
    String digest,
    long bytes,
    int blobsCopied,
    int blobsSkipped,
    int blobsMounted,
    int manifests,
    boolean upToDate) {}
