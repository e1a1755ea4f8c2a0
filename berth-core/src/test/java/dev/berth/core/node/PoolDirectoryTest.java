package dev.berth.core.node;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.core.support.Errors;
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
}
