/**
 * The replication engine: copies images registry to registry. {@link
 * dev.berth.oci.replication.ImageCopier} copies one image (index children first, blobs streamed and
 * skipped when present, mounted within one registry, the manifest last); {@code RepositoryCopier}
 * copies many tags of one repository as one plan (each distinct blob once); {@link
 * dev.berth.oci.replication.ReplicationEngine} runs copies with bounded parallelism, retries with
 * back-off and reports each one to a {@link dev.berth.oci.replication.JobRecorder}. {@link
 * dev.berth.oci.replication.PushEvents} reads registry notifications; {@link
 * dev.berth.oci.replication.RepositoryGlob} matches repositories against rule filters. A pure
 * library: no Spring, no database.
 */
package dev.berth.oci.replication;
