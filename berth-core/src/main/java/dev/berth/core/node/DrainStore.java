package dev.berth.core.node;

import java.util.List;
import java.util.Optional;

/**
 * Drains, one per node (the latest), in the database: the desired state a restarted Berth resumes.
 * Implementations are transactional per call and safe for concurrent use.
 */
public interface DrainStore {
  /** Stores the drain, replacing the node's previous one. */
  void save(Drain drain);

  /** The node's latest drain. */
  Optional<Drain> find(String cluster, String node);

  /** Every drain still running, of every cluster. */
  List<Drain> running();
}
