package dev.berth.core.release;

import dev.berth.core.support.Errors;
import java.util.ArrayList;
import java.util.List;

/**
 * How a release moves instances to a new revision.
 *
 * <ul>
 *   <li>{@code bastion}: instances in the first batch, the one that proves the revision (default 1;
 *       0 = no bastion).
 *   <li>{@code batches}: how the instances after the bastion are split: a {@code count} of batches,
 *       a {@code size} per batch, or a list of {@code percentages} that add up to 100.
 *   <li>{@code promotion}: {@code auto} goes on to the next batch once every instance of this one
 *       is ready and {@code soakSeconds} have passed; {@code manual} pauses after each batch until
 *       someone promotes.
 *   <li>{@code maxUnavailable}: instances drained or replaced at the same time (default 1).
 *   <li>{@code batchDeadlineSeconds}: a batch not ready by then stops the release (0 = none).
 *   <li>{@code onFailure}: {@code pause} (hold where it is, the default) or {@code fail} (return
 *       every updated instance to the from-revision and settle in {@code failed}).
 *   <li>{@code first}: instance ids, IPs or node names whose instances go first, in that order.
 * </ul>
 *
 * Fields left out take the defaults of {@link #DEFAULT}: a bastion of 1, the rest in 3 batches,
 * automatic promotion without soak, one instance at a time, a 600 s deadline per batch, pause on
 * failure — which replaces one instance at a time from the highest ordinal down, as rollouts always
 * did.
 */
public record ReleaseStrategy(
    Integer bastion,
    Batches batches,
    Promotion promotion,
    Integer soakSeconds,
    Integer maxUnavailable,
    Integer batchDeadlineSeconds,
    OnFailure onFailure,
    List<String> first) {

  /** Automatic or by hand. */
  public enum Promotion {
    AUTO,
    MANUAL;

    @Override
    public String toString() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /** What a failing batch does to its release. */
  public enum OnFailure {
    PAUSE,
    FAIL;

    @Override
    public String toString() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /** Exactly one of a count of batches, a batch size, or percentages adding up to 100. */
  public record Batches(Integer count, Integer size, List<Integer> percentages) {
    public Batches {
      percentages = percentages == null ? null : List.copyOf(percentages);
    }

    public static Batches count(int n) {
      return new Batches(n, null, null);
    }

    public static Batches size(int n) {
      return new Batches(null, n, null);
    }

    public static Batches percentages(Integer... p) {
      return new Batches(null, null, List.of(p));
    }
  }

  public static final int DEFAULT_DEADLINE_SECONDS = 600;

  /** The strategy of an app that names none. */
  public static final ReleaseStrategy DEFAULT =
      new ReleaseStrategy(null, null, null, null, null, null, null, null);

  public ReleaseStrategy {
    bastion = bastion == null ? 1 : bastion;
    batches =
        batches == null
                || (batches.count() == null
                    && batches.size() == null
                    && batches.percentages() == null)
            ? Batches.count(3)
            : batches;
    promotion = promotion == null ? Promotion.AUTO : promotion;
    soakSeconds = soakSeconds == null ? 0 : soakSeconds;
    maxUnavailable = maxUnavailable == null ? 1 : maxUnavailable;
    batchDeadlineSeconds =
        batchDeadlineSeconds == null ? DEFAULT_DEADLINE_SECONDS : batchDeadlineSeconds;
    onFailure = onFailure == null ? OnFailure.PAUSE : onFailure;
    first = first == null ? List.of() : List.copyOf(first);
  }

  /**
   * Every instance at once, promoted automatically: for an urgent rollback ({@code "strategy":
   * "all-at-once"}).
   */
  public static ReleaseStrategy allAtOnce(int instances) {
    int all = Math.max(1, instances);
    return new ReleaseStrategy(
        0, Batches.count(1), Promotion.AUTO, 0, all, null, OnFailure.PAUSE, List.of());
  }

  /** A copy with {@code first} replaced. */
  public ReleaseStrategy withFirst(List<String> f) {
    return new ReleaseStrategy(
        bastion,
        batches,
        promotion,
        soakSeconds,
        maxUnavailable,
        batchDeadlineSeconds,
        onFailure,
        f);
  }

  /**
   * The number of instances on the new revision once each batch is done, for {@code instances}
   * instances: cumulative, strictly growing, the last one {@code instances}. Empty for no
   * instances. Pure.
   */
  public List<Integer> targets(int instances) {
    List<Integer> out = new ArrayList<>();
    if (instances <= 0) {
      return out;
    }
    int b = Math.min(Math.max(bastion, 0), instances);
    if (b > 0) {
      out.add(b);
    }
    int rest = instances - b;
    if (rest == 0) {
      return out;
    }
    if (batches.percentages() != null) {
      int sum = 0;
      for (int p : batches.percentages()) {
        sum += p;
        add(out, b + (int) Math.ceil(rest * Math.min(sum, 100) / 100.0));
      }
    } else if (batches.size() != null) {
      int size = Math.max(1, batches.size());
      for (int done = size; done < rest + size; done += size) {
        add(out, b + Math.min(done, rest));
      }
    } else {
      int n = Math.min(Math.max(1, batches.count()), rest);
      int done = 0;
      for (int i = 0; i < n; i++) {
        done += rest / n + (i < rest % n ? 1 : 0);
        add(out, b + done);
      }
    }
    add(out, instances);
    return out;
  }

  private static void add(List<Integer> out, int target) {
    if (out.isEmpty() || out.getLast() < target) {
      out.add(target);
    }
  }

  /**
   * Adds to {@code errors} what is wrong with this strategy for an app of {@code instances}
   * instances, each under {@code prefix} + the field ({@code strategy.bastion}). An app of no
   * instances has no batches, so its bastion is not held against its size. The whitelist is checked
   * against instances by {@link ReleaseOrder#unmatched}.
   */
  public void check(int instances, String prefix, Errors errors) {
    if (bastion < 0) {
      errors.add(prefix + "bastion", "must be 0 (no bastion) or more, was " + bastion);
    } else if (instances > 0 && bastion > instances) {
      // An app scaled to zero releases by changing its spec alone: there is no batch to check.
      errors.add(
          prefix + "bastion",
          "is "
              + bastion
              + " but the app has "
              + instances
              + " instance(s); use at most "
              + instances);
    }
    int given =
        (batches.count() != null ? 1 : 0)
            + (batches.size() != null ? 1 : 0)
            + (batches.percentages() != null ? 1 : 0);
    if (given > 1) {
      errors.add(prefix + "batches", "give one of count, size or percentages, not " + given);
    }
    if (batches.count() != null && batches.count() < 1) {
      errors.add(prefix + "batches.count", "must be at least 1, was " + batches.count());
    }
    int rest = Math.max(0, instances - Math.max(0, bastion));
    if (batches.size() != null && (batches.size() < 1 || batches.size() > Math.max(1, rest))) {
      errors.add(
          prefix + "batches.size",
          "must be between 1 and the "
              + rest
              + " instance(s) after the bastion, was "
              + batches.size());
    }
    if (batches.percentages() != null) {
      List<Integer> p = batches.percentages();
      int sum = p.stream().mapToInt(i -> i == null ? 0 : i).sum();
      if (p.isEmpty() || p.stream().anyMatch(i -> i == null || i < 1 || i > 100) || sum != 100) {
        errors.add(
            prefix + "batches.percentages",
            "each share must be 1–100 and together they must add up to 100, these add up to "
                + sum
                + " (e.g. [25, 25, 50])");
      }
    }
    if (soakSeconds < 0) {
      errors.add(prefix + "soakSeconds", "must be 0 or more, was " + soakSeconds);
    }
    if (maxUnavailable < 1) {
      errors.add(prefix + "maxUnavailable", "must be at least 1, was " + maxUnavailable);
    }
    if (batchDeadlineSeconds < 0) {
      errors.add(
          prefix + "batchDeadlineSeconds",
          "must be 0 (no deadline) or more, was " + batchDeadlineSeconds);
    }
  }
}
