package dev.berth.server.cluster;

import dev.berth.server.support.crypto.SecretBox;
import java.time.Instant;

/**
 * A registered Kubernetes cluster as stored: {@code kubeconfig} is sealed by {@link SecretBox}
 * (null for in-cluster configuration) and never leaves the server.
 */
record ClusterRecord(
    String name,
    String zone,
    String namespace,
    boolean inCluster,
    String sealedKubeconfig,
    Instant createdAt) {}
