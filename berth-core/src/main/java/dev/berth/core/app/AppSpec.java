package dev.berth.core.app;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What runs in every instance of an application at one revision: the image, its entry, environment,
 * ports, resources, health checks, lifecycle hooks, scheduling rules and security profile.
 * Immutable; every change makes a new {@link Revision}. The instance count is not part of it:
 * scaling makes no revision, as in Kubernetes.
 */
public record AppSpec(
    String image,
    List<String> command,
    List<String> args,
    Map<String, String> env,
    List<PortSpec> ports,
    Resources resources,
    Health health,
    Lifecycle lifecycle,
    Scheduling scheduling,
    Security security,
    List<Route> routes) {
  /** A spec without routes. */
  public AppSpec(
      String image,
      List<String> command,
      List<String> args,
      Map<String, String> env,
      List<PortSpec> ports,
      Resources resources,
      Health health,
      Lifecycle lifecycle,
      Scheduling scheduling,
      Security security) {
    this(
        image,
        command,
        args,
        env,
        ports,
        resources,
        health,
        lifecycle,
        scheduling,
        security,
        List.of());
  }

  /** A spec without scheduling rules. */
  public AppSpec(
      String image,
      List<String> command,
      List<String> args,
      Map<String, String> env,
      List<PortSpec> ports,
      Resources resources,
      Health health,
      Lifecycle lifecycle) {
    this(
        image,
        command,
        args,
        env,
        ports,
        resources,
        health,
        lifecycle,
        Scheduling.NONE,
        Security.BASELINE);
  }

  /** A spec with the baseline security profile. */
  public AppSpec(
      String image,
      List<String> command,
      List<String> args,
      Map<String, String> env,
      List<PortSpec> ports,
      Resources resources,
      Health health,
      Lifecycle lifecycle,
      Scheduling scheduling) {
    this(
        image,
        command,
        args,
        env,
        ports,
        resources,
        health,
        lifecycle,
        scheduling,
        Security.BASELINE);
  }

  public AppSpec {
    command = command == null ? List.of() : List.copyOf(command);
    args = args == null ? List.of() : List.copyOf(args);
    env = env == null ? Map.of() : java.util.Collections.unmodifiableMap(new TreeMap<>(env));
    ports = ports == null ? List.of() : List.copyOf(ports);
    resources = resources == null ? Resources.DEFAULT : resources;
    health = health == null ? Health.NONE : health;
    lifecycle = lifecycle == null ? Lifecycle.DEFAULT : lifecycle;
    scheduling = scheduling == null ? Scheduling.NONE : scheduling;
    security = security == null ? Security.BASELINE : security;
    routes = routes == null ? List.of() : List.copyOf(routes);
  }

  /** This spec with other routes. */
  public AppSpec withRoutes(List<Route> other) {
    return new AppSpec(
        image,
        command,
        args,
        env,
        ports,
        resources,
        health,
        lifecycle,
        scheduling,
        security,
        other);
  }

  /** This spec with another image. */
  public AppSpec withImage(String other) {
    return new AppSpec(
        other,
        command,
        args,
        env,
        ports,
        resources,
        health,
        lifecycle,
        scheduling,
        security,
        routes);
  }

  /** This spec with other resources (a live resize changes nothing else). */
  public AppSpec withResources(Resources other) {
    return new AppSpec(
        image, command, args, env, ports, other, health, lifecycle, scheduling, security, routes);
  }
}
