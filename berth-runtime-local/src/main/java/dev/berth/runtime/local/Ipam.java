package dev.berth.runtime.local;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.core.runtime.InstanceIds;
import dev.berth.core.runtime.RuntimeFailure;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Fixed IP per instance id: a map {@code <app>-<ordinal> -> IP} persisted as JSON in the data
 * directory and rewritten atomically on every change. An ordinal's address is reserved for the
 * app's lifetime: it survives restarts, replacements, Berth restarts and scaling down (a
 * scaled-down ordinal that comes back gets its own address again), and no other id is ever given a
 * reserved address. It is released only when that ordinal is deleted without replacement ({@link
 * #release}) or the app is deleted (the runtime releases each of its {@link #reservedFor reserved
 * ids}). Task runs hold an address for the run's life the same way. Thread-safe.
 */
final class Ipam {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final Path file;
  private final Subnet subnet;
  private final TreeMap<String, String> byId = new TreeMap<>();

  Ipam(Path file, Subnet subnet) {
    this.file = file;
    this.subnet = subnet;
    if (Files.exists(file)) {
      try {
        JSON.readTree(file.toFile())
            .path("addresses")
            .properties()
            .forEach(
                e -> {
                  String ip = e.getValue().asText();
                  if (subnet.contains(ip)) {
                    byId.put(e.getKey(), ip);
                  }
                });
      } catch (IOException e) {
        throw new RuntimeFailure("cannot read the IP map " + file + ": " + e.getMessage(), e);
      }
    }
  }

  /** The address of {@code id}, allocating the lowest free one on first use. */
  synchronized String allocate(String id) {
    String ip = byId.get(id);
    if (ip != null) {
      return ip;
    }
    Set<String> used = new HashSet<>(byId.values());
    for (int n = 0; n < subnet.hostCount(); n++) {
      String candidate = subnet.host(n);
      if (!used.contains(candidate)) {
        byId.put(id, candidate);
        save();
        return candidate;
      }
    }
    throw new RuntimeFailure(
        "subnet "
            + subnet
            + " has no free address left for "
            + id
            + ": "
            + byId.size()
            + " addresses are reserved, including those of scaled-down instances; delete apps or instances without replacement to free some, or use a larger subnet");
  }

  synchronized Optional<String> lookup(String id) {
    return Optional.ofNullable(byId.get(id));
  }

  /** Forgets {@code id}'s address so that another id may get it. Idempotent. */
  synchronized void release(String id) {
    if (byId.remove(id) != null) {
      save();
    }
  }

  /** The ids of {@code app}'s ordinals holding a reservation. */
  synchronized Set<String> reservedFor(String app) {
    return byId.keySet().stream()
        .filter(id -> InstanceIds.ordinal(app, id).isPresent())
        .collect(java.util.stream.Collectors.toUnmodifiableSet());
  }

  synchronized Map<String, String> snapshot() {
    return Map.copyOf(byId);
  }

  private void save() {
    try {
      Files.createDirectories(file.getParent());
      Fs.writeAtomically(
          file,
          JSON.writerWithDefaultPrettyPrinter()
              .writeValueAsBytes(Map.of("subnet", subnet.toString(), "addresses", byId)));
    } catch (IOException e) {
      throw new RuntimeFailure("cannot write the IP map " + file + ": " + e.getMessage(), e);
    }
  }
}
