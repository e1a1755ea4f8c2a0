package dev.berth.runtime.kubernetes;

import dev.berth.core.runtime.Terminal;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.ExecWatch;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A terminal through the pod's {@code exec} subresource with {@code tty=true}: keys go to the
 * exec's stdin channel, the TTY's output (stdout and stderr in one, as Kubernetes merges them with
 * a TTY) comes from its stdout channel, and a resize is a message on the resize channel.
 */
final class PodTerminal implements Terminal {
  private final ExecWatch watch;
  private final CompletableFuture<Integer> exited = new CompletableFuture<>();

  private PodTerminal(ExecWatch watch) {
    this.watch = watch;
    watch.exitCode().whenComplete((code, e) -> exited.complete(e == null ? code : -1));
  }

  /** Starts {@code command} with a TTY in the pod's first container. */
  static PodTerminal open(
      KubernetesClient client,
      String namespace,
      Pod pod,
      List<String> command,
      int columns,
      int rows) {
    Terminal.checkSize(columns, rows);
    ExecWatch w =
        client
            .pods()
            .inNamespace(namespace)
            .withName(pod.getMetadata().getName())
            .inContainer(pod.getSpec().getContainers().getFirst().getName())
            .redirectingInput()
            .redirectingOutput()
            .withTTY()
            .exec(command.toArray(String[]::new));
    PodTerminal t = new PodTerminal(w);
    w.resize(columns, rows);
    return t;
  }

  @Override
  public OutputStream input() {
    return watch.getInput();
  }

  @Override
  public InputStream output() {
    return watch.getOutput();
  }

  @Override
  public void resize(int columns, int rows) {
    Terminal.checkSize(columns, rows);
    if (!exited.isDone()) {
      watch.resize(columns, rows);
    }
  }

  @Override
  public CompletableFuture<Integer> exited() {
    return exited;
  }

  @Override
  public void close() {
    watch.close();
    exited.complete(-1);
  }
}
