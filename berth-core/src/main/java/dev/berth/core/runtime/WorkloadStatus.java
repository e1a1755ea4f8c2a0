package dev.berth.core.runtime;

/**
 * What a cluster's own workload controller reports about an app, where the runtime has one (on
 * Kubernetes: the StatefulSet's status, read from the informer cache): how many instances exist,
 * are ready and run the update revision, and which Berth revisions its current and update revisions
 * are (0 when not known yet). {@code observed} is false while that controller has not yet seen the
 * latest applied spec, so the counts may still describe the one before.
 */
public record WorkloadStatus(
    String app,
    int replicas,
    int readyReplicas,
    int updatedReplicas,
    long currentRevision,
    long updateRevision,
    boolean observed) {}
