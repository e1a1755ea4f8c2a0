package dev.berth.runtime.local;

import dev.berth.core.time.Scheduler;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.function.Function;

/**
 * What every supervisor of one runtime shares, passed in explicitly: the container lifecycle, the
 * scheduler for back-off, deadlines and probe ticks, the restart back-off, the probes, where the
 * data lives and how long logs stay, what the host reports, and where mailboxes drain ({@link
 * Mailbox#virtualThread} in production, {@link Mailbox#INLINE} in unit tests).
 */
record SupervisorParts(
    ContainerLifecycle lifecycle,
    Scheduler scheduler,
    Backoff backoff,
    Prober.Factory probes,
    Path dataDir,
    Duration logRetention,
    String nodeName,
    String gateway,
    Function<String, Executor> mailboxes) {}
