package dev.berth.runtime.local;

import dev.berth.core.time.Scheduler;
import dev.berth.oci.ImageStore;
import java.nio.file.Path;

/**
 * The collaborators of {@link RuncLifecycle}, passed in explicitly: nothing in the lifecycle
 * reaches back into {@link LocalRuntime}.
 *
 * @param init the static init binary bind-mounted into containers that ask for one, or null
 */
record LifecycleParts(
    Runc runc,
    Ipam ipam,
    Network network,
    ContainerCgroups cgroups,
    Cpusets cpusets,
    ImageStore images,
    FileWatch watch,
    Scheduler scheduler,
    Path init) {}
