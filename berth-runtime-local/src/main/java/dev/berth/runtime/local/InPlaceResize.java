package dev.berth.runtime.local;

import dev.berth.core.app.AppSpec;
import dev.berth.core.runtime.InstanceSlot;
import dev.berth.core.runtime.ResizeResult;
import dev.berth.core.support.ConflictException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * A live resize on this host: {@code runc update} of each instance's container through its
 * supervisor, which then reports the new revision. The decisions are pure ({@link
 * dev.berth.core.runtime.InPlaceRules}, {@link #memoryRefusal}); {@link #apply} asks the
 * supervisors.
 */
final class InPlaceResize {
  /** How long one instance's {@code runc update} may take, behind whatever its supervisor does. */
  static final Duration WAIT = Duration.ofSeconds(60);

  private InPlaceResize() {}

  /**
   * Why a memory limit of {@code memoryMiB} must not be set now, or empty: an instance holds more
   * memory than that ({@code workingSet}: bytes it uses beyond reclaimable page cache). The kernel
   * would have to kill it, which is a restart the caller did not ask for.
   */
  static Optional<String> memoryRefusal(
      List<String> ids, int memoryMiB, Function<String, OptionalLong> workingSet) {
    long limit = (long) memoryMiB << 20;
    for (String id : ids) {
      OptionalLong used = workingSet.apply(id);
      if (used.isPresent() && used.getAsLong() > limit) {
        return Optional.of(
            "instance "
                + id
                + " uses "
                + (used.getAsLong() >> 20)
                + " MiB, more than the new memory limit of "
                + memoryMiB
                + " MiB; choose at least that, or release the change (PUT) to start fresh instances");
      }
    }
    return Optional.empty();
  }

  /**
   * Resizes every supervisor's instance to {@code slot}'s revision; all are asked, then waited for.
   *
   * @throws ConflictException when an instance uses more memory than the new limit
   */
  static ResizeResult apply(
      List<Supervisor> supervisors,
      String app,
      long revision,
      AppSpec spec,
      Function<String, OptionalLong> workingSet) {
    List<AppSpec> specs =
        supervisors.stream().map(Supervisor::spec).filter(s -> s != null).toList();
    Optional<String> no = dev.berth.core.runtime.InPlaceRules.refusal(specs, spec);
    if (no.isPresent()) {
      return ResizeResult.cannot(no.get());
    }
    memoryRefusal(
            supervisors.stream().map(s -> s.id).toList(), spec.resources().memoryMiB(), workingSet)
        .ifPresent(
            why -> {
              throw new ConflictException(why);
            });
    List<CompletableFuture<String>> answers = new ArrayList<>();
    for (Supervisor s : supervisors) {
      CompletableFuture<String> done = new CompletableFuture<>();
      s.send(new Supervisor.Resize(new InstanceSlot(app, s.ordinal, revision, spec), done));
      answers.add(done);
    }
    List<String> failed = new ArrayList<>();
    for (CompletableFuture<String> a : answers) {
      String why = await(a);
      if (why != null) {
        failed.add(why);
      }
    }
    return failed.isEmpty()
        ? ResizeResult.done()
        : ResizeResult.cannot("runc could not change " + String.join("; ", failed));
  }

  private static String await(CompletableFuture<String> answer) {
    try {
      return answer.get(WAIT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      return "an instance did not answer within " + WAIT.toSeconds() + "s";
    } catch (ExecutionException e) {
      return e.getCause().getMessage();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "interrupted";
    }
  }
}
