package dev.berth.core.node;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.core.support.Errors;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PoolDirectoryTest {
  final PoolDirectory pools = c -> c.equals("local") ? Set.of("ssd", "gpu") : Set.of();

  @Test
  void anUnknownPoolIsNamedAtTheFieldWithThePoolsThereAre() {
    Errors e = new Errors();
    pools.check(null, "nope", "scheduling.pool", e);
    assertThat(e.list())
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f.field()).isEqualTo("scheduling.pool");
              assertThat(f.message())
                  .isEqualTo("unknown pool 'nope' in cluster 'local'; known: gpu, ssd");
            });
  }

  @Test
  void aClusterWithoutPoolsSaysHowToDefineOne() {
    Errors e = new Errors();
    pools.check("k8s", "ssd", "scheduling.pool", e);
    assertThat(e.list().getFirst().message())
        .contains("define it first (POST /api/v1/clusters/k8s/pools)");
  }

  @Test
  void aKnownOrAbsentPoolPasses() {
    Errors e = new Errors();
    pools.check("local", "ssd", "scheduling.pool", e);
    pools.check("local", null, "scheduling.pool", e);
    PoolDirectory.NONE.check("local", "", "scheduling.pool", e);
    assertThat(e.isEmpty()).isTrue();
  }

  @Test
  void aNodeLabelThePoolRequiresWithAnotherValueIsNamedUnderNodeLabels() {
    PoolDirectory defined =
        new PoolDirectory() {
          @Override
          public Set<String> names(String cluster) {
            return Set.of("batch");
          }

          @Override
          public Optional<Definition> definition(String cluster, String pool) {
            return Optional.of(new Definition(Map.of("disk", "ssd"), null));
          }
        };
    Errors e = new Errors();
    defined.check(
        "local",
        "batch",
        "scheduling.pool",
        Map.of("disk", "hdd", "zone", "z1"),
        "scheduling.nodeLabels",
        e);
    assertThat(e.list())
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f.field()).isEqualTo("scheduling.nodeLabels.disk");
              assertThat(f.message()).contains("pool 'batch'").contains("disk=ssd");
            });

    Errors same = new Errors();
    defined.check(
        "local", "batch", "scheduling.pool", Map.of("disk", "ssd"), "scheduling.nodeLabels", same);
    assertThat(same.isEmpty()).isTrue();
  }
}
