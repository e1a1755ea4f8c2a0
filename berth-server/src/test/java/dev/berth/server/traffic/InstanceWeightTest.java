package dev.berth.server.traffic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.core.support.ValidationException;
import org.junit.jupiter.api.Test;

/** Which weights a person may send, from the API and from the portal's form. */
class InstanceWeightTest {
  final ObjectMapper json = new ObjectMapper();

  @Test
  void aWholeNumberFromZeroToAHundredIsAWeight() throws Exception {
    assertThat(InstanceWeight.of(json.readTree("{\"weight\": 0}"))).isZero();
    assertThat(InstanceWeight.of(json.readTree("{\"weight\": 100}"))).isEqualTo(100);
    assertThat(InstanceWeight.of(" 30 ")).isEqualTo(30);
  }

  @Test
  void anythingElseIsRefusedNamingWeightAndTheFix() throws Exception {
    for (String body :
        new String[] {
          "{\"weight\": 101}",
          "{\"weight\": -1}",
          "{\"weight\": 2.5}",
          "{\"weight\": \"30\"}",
          "{\"weight\": 99999999999}",
          "{\"weight\": null}",
          "{}"
        }) {
      assertThatThrownBy(() -> InstanceWeight.of(json.readTree(body)))
          .as(body)
          .isInstanceOfSatisfying(
              ValidationException.class,
              e -> {
                assertThat(e.errors())
                    .singleElement()
                    .extracting(f -> f.field())
                    .isEqualTo("weight");
                assertThat(e.getMessage()).contains("0 (listed as ready");
              });
    }
    for (String form : new String[] {"", "abc", "101", "1e2", "-3"}) {
      assertThatThrownBy(() -> InstanceWeight.of(form))
          .as(form)
          .isInstanceOf(ValidationException.class)
          .hasMessageStartingWith("weight: ");
    }
  }
}
