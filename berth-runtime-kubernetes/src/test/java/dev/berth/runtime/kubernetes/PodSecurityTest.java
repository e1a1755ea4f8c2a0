package dev.berth.runtime.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.core.app.Security;
import dev.berth.core.runtime.AppWorkload;
import dev.berth.core.runtime.RunWorkload;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import org.junit.jupiter.api.Test;

/**
 * Every pod Berth makes meets the "baseline" Pod Security Standard; apps that opt in meet
 * "restricted".
 */
class PodSecurityTest {
  private static final Manifests.Target TARGET = new Manifests.Target("apps", false, null);

  private static PodSpec pod(Specs.Case c) {
    StatefulSet sts =
        (StatefulSet) Manifests.statefulSet(Specs.settled(c.app(), 2, c.spec()), TARGET);
    return sts.getSpec().getTemplate().getSpec();
  }

  @Test
  void everyAppAndRunPodMeetsTheBaselineProfile() {
    for (Specs.Case c : Specs.broad()) {
      assertThat(PodSecurityStandards.baseline(pod(c))).as(c.name()).isEmpty();
    }
    for (RunWorkload r : Specs.runs()) {
      assertThat(
              PodSecurityStandards.baseline(
                  Manifests.forRun(r, "apps").getSpec().getTemplate().getSpec()))
          .as(r.runId())
          .isEmpty();
    }
  }

  @Test
  void appsThatOptInMeetTheRestrictedProfile() {
    for (Specs.Case c : Specs.broad()) {
      if (c.spec().security().restricted()) {
        assertThat(PodSecurityStandards.restricted(pod(c))).as(c.name()).isEmpty();
      }
    }
    AppWorkload w =
        Specs.settled(
            "locked",
            1,
            Specs.withSecurity(
                Specs.validFull(), new Security(Security.Profile.RESTRICTED, 1000L)));
    var c =
        ((StatefulSet) Manifests.statefulSet(w, TARGET))
            .getSpec()
            .getTemplate()
            .getSpec()
            .getContainers()
            .getFirst()
            .getSecurityContext();
    assertThat(c.getRunAsNonRoot()).isTrue();
    assertThat(c.getRunAsUser()).isEqualTo(1000L);
    assertThat(c.getCapabilities().getDrop()).containsExactly("ALL");
    assertThat(c.getAllowPrivilegeEscalation()).isFalse();
  }

  @Test
  void withoutTheOptInAnAppKeepsTheRuntimesDefaultCapabilitiesAndUser() {
    Specs.Case baseline = new Specs.Case("baseline", "web", Specs.validFull());
    assertThat(PodSecurityStandards.restricted(pod(baseline)))
        .containsExactlyInAnyOrder("runAsNonRoot", "capabilities_restricted");
  }
}
