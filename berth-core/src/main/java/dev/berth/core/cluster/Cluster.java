package dev.berth.core.cluster;

/** A cluster Berth deploys to: the embedded {@code local} one or a Kubernetes cluster. */
public record Cluster(String name, String type, String zone, String status, String message) {}
