package dev.berth.oci.registry;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RegistryErrorsTest {
  @Test
  void turnsTheDistributionErrorCodesIntoSentences() {
    assertThat(
            RegistryErrors.explain(
                404,
                "{\"errors\":[{\"code\":\"MANIFEST_UNKNOWN\",\"message\":\"manifest unknown\",\"detail\":{\"Tag\":\"9\"}}]}"))
        .isEqualTo("the registry has no image with that tag or digest");
    assertThat(
            RegistryErrors.explain(
                404,
                "{\"errors\":[{\"code\":\"NAME_UNKNOWN\",\"message\":\"repository name not known to registry\",\"detail\":{\"name\":\"demo/nope\"}}]}"))
        .isEqualTo("the registry has no repository of that name");
    assertThat(
            RegistryErrors.explain(
                401,
                "{\"errors\":[{\"code\":\"UNAUTHORIZED\",\"message\":\"authentication required\",\"detail\":null}]}"))
        .isEqualTo("the registry needs valid credentials for it");
    assertThat(
            RegistryErrors.explain(
                403,
                "{\"errors\":[{\"code\":\"DENIED\",\"message\":\"requested access to the resource is denied\"}]}"))
        .isEqualTo("the registry denied access to that repository");
  }

  @Test
  void joinsSeveralErrorsOnceEachAndQuotesAnUnknownCodesMessageWithoutJson() {
    String two =
        "{\"errors\":[{\"code\":\"DENIED\"},{\"code\":\"denied\"},{\"code\":\"QUOTA_EXCEEDED\",\"message\":\"quota\\n exceeded\"}]}";
    assertThat(RegistryErrors.explain(403, two))
        .isEqualTo(
            "the registry denied access to that repository; the registry says: quota exceeded");
  }

  @Test
  void leavesOutABodyThatIsNotTheRegistrysErrorJson() {
    assertThat(RegistryErrors.explain(502, "<html><body>Bad Gateway</body></html>"))
        .isEqualTo("the registry answered 502 (bad gateway)");
    assertThat(RegistryErrors.explain(500, ""))
        .isEqualTo("the registry answered 500 (internal error)");
    assertThat(RegistryErrors.explain(404, "{\"message\":\"no\"}"))
        .isEqualTo("the registry answered 404 (not found)");
    assertThat(RegistryErrors.meaning("<html>503</html>")).isEmpty();
  }
}
