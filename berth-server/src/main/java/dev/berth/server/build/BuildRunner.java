package dev.berth.server.build;

import dev.berth.core.event.Event;
import dev.berth.core.support.BerthException;
import dev.berth.oci.build.BuildException;
import dev.berth.oci.build.BuiltImage;
import dev.berth.oci.build.ImageBuilder;
import dev.berth.server.event.EventService;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs builds in the background, each on its own virtual thread, at most {@code concurrency} at a
 * time (the others wait queued, in order). A build based on a template whose own build has not
 * ended stays queued and is dispatched when that build ends. Every failure ends the build {@code
 * failed} with its reason; nothing a registry or a build does can stop the runner. When a
 * template's build yields a new digest, the templates based on it are rebuilt.
 *
 * <p>The state lives in the database: after a restart {@link #recover} queues again what was queued
 * or running (a build is repeatable: the same inputs push the same image).
 */
public class BuildRunner implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(BuildRunner.class);
  private final JdbcBuildStore store;
  private final BuildFiles files;
  private final ImageBuilder builder;
  private final EventService events;
  private final Clock clock;
  private final int logLines;
  private final Semaphore slots;
  private final ExecutorService executor =
      Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("build-", 0).factory());
  private final Map<Long, BuildLog> live = new ConcurrentHashMap<>();
  private volatile boolean closing;

  BuildRunner(
      JdbcBuildStore store,
      BuildFiles files,
      ImageBuilder builder,
      EventService events,
      Clock clock,
      int concurrency,
      int logLines) {
    this.store = store;
    this.files = files;
    this.builder = builder;
    this.events = events;
    this.clock = clock;
    this.logLines = logLines;
    this.slots = new Semaphore(concurrency, true);
  }

  /** Runs the build in the background if it is queued; harmless to call more than once. */
  void dispatch(long id) {
    if (!closing) {
      executor.execute(() -> run(id));
    }
  }

  /** Queues again every build a previous Berth left queued or running, oldest first. */
  void recover() {
    for (long id : store.unfinished()) {
      store.requeue(id);
      dispatch(id);
    }
  }

  /** The log so far of a running build. */
  Optional<String> liveLog(long id) {
    return Optional.ofNullable(live.get(id)).map(BuildLog::toString);
  }

  /** Queues a build of the template from its stored spec and uploads. */
  Build startTemplateBuild(BuildTemplate template, String actor, String cause) {
    Build build =
        store.create(template.spec(), null, template.name(), cause, actor, clock.instant());
    BuildFiles.snapshot(files.template(template.name()), files.inputs(build.id()));
    dispatch(build.id());
    return build;
  }

  private void run(long id) {
    try {
      runQueued(id);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Throwable t) {
      LOG.error("build {} failed unexpectedly", id, t);
      try {
        store.fail(
            id,
            "internal error in Berth: " + t + "; the server log has the details",
            null,
            null,
            clock.instant());
      } catch (RuntimeException e) {
        LOG.error(
            "build {} could not be marked failed; it is queued again at the next start", id, e);
      }
    }
  }

  private void runQueued(long id) throws InterruptedException {
    Build build = store.find(id).orElse(null);
    if (build == null || build.state() != BuildState.QUEUED) {
      return;
    }
    String base = build.spec().base();
    String note = null;
    String template = build.spec().template();
    if (template != null) {
      Optional<BuildTemplate> t = store.template(template);
      if (t.isEmpty()) {
        end(
            build,
            null,
            new BuildException("the base template '" + template + "' does not exist any more"),
            null);
        return;
      }
      Long last = t.get().lastBuild();
      if (last != null
          && last != id
          && store.find(last).map(b -> !b.state().isFinal()).orElse(false)) {
        return; // dispatched again when the template's build ends
      }
      if (t.get().image().isEmpty()) {
        end(
            build,
            null,
            new BuildException(
                "the base template '"
                    + template
                    + "' has no image yet: its last build"
                    + (last == null ? " does not exist" : " #" + last + " failed")
                    + "; build the template first"),
            null);
        return;
      }
      base = t.get().image().get();
      note = "base template '" + template + "' is " + base;
    }
    slots.acquire();
    try {
      if (!store.start(id, clock.instant())) {
        return;
      }
      execute(build, base, note);
    } finally {
      slots.release();
    }
  }

  private void execute(Build build, String base, String note) {
    BuildLog log = new BuildLog(logLines, clock);
    live.put(build.id(), log);
    long id = build.id();
    try {
      log.add("build #" + id + " of " + build.spec().image() + " (" + build.cause() + ")");
      if (note != null) {
        log.add(note);
      }
      BuiltImage built =
          builder.build(
              build.spec(), base, BuildFiles.uploads(files.inputs(id)), files.work(id), log::add);
      end(build, built, null, log);
    } catch (BerthException e) {
      if (closing) {
        LOG.info("build {} interrupted by shutdown; it runs again at the next start", id);
        return;
      }
      log.add("failed: " + e.getMessage());
      end(build, null, e, log);
    } finally {
      live.remove(id);
      if (!closing) {
        BuildFiles.delete(files.inputs(id).getParent());
      }
    }
  }

  private void end(Build build, BuiltImage built, RuntimeException failure, BuildLog log) {
    var now = clock.instant();
    String logText = log == null ? null : log.toString();
    if (built != null) {
      store.succeed(build.id(), built.digest(), built.base(), logText, now);
      events.emit(
          Event.normal(
              now,
              "",
              "build",
              Long.toString(build.id()),
              null,
              "BuildSucceeded",
              "pushed " + built.reference() + "@" + built.digest()));
      if (build.forTemplate() != null) {
        templateBuilt(build.forTemplate(), built.digest());
      }
    } else {
      store.fail(build.id(), failure.getMessage(), null, logText, now);
      events.emit(
          Event.warning(
              now,
              "",
              "build",
              Long.toString(build.id()),
              null,
              "BuildFailed",
              build.spec().image() + ": " + failure.getMessage()));
      if (log == null) {
        BuildFiles.delete(files.inputs(build.id()).getParent());
      }
    }
    LOG.info(
        "build {} of {} {}",
        build.id(),
        build.spec().image(),
        built != null ? "succeeded: " + built.digest() : "failed: " + failure.getMessage());
    if (build.forTemplate() != null) {
      store.queuedOn(build.forTemplate()).forEach(this::dispatch);
    }
  }

  private void templateBuilt(String name, String digest) {
    Optional<BuildTemplate> before = store.template(name);
    store.templateBuilt(name, digest);
    if (before.isPresent() && digest.equals(before.get().digest())) {
      return;
    }
    for (String dependant : store.dependants(name)) {
      Optional<BuildTemplate> t = store.template(dependant);
      boolean pending =
          t.map(BuildTemplate::lastBuild)
              .flatMap(store::find)
              .map(b -> !b.state().isFinal())
              .orElse(false);
      if (t.isPresent()
          && !pending) { // a pending build of it waits for this one and uses the new image anyway
        startTemplateBuild(t.get(), "berth", "base template '" + name + "' rebuilt as " + digest);
      }
    }
  }

  @Override
  public void close() throws InterruptedException {
    closing = true;
    executor.shutdownNow();
    executor.awaitTermination(10, TimeUnit.SECONDS);
  }
}
