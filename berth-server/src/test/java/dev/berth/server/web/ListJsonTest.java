package dev.berth.server.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.core.support.Page;
import dev.berth.core.support.ValidationException;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class ListJsonTest {

  @Test
  void aPageWithMoreBehindItNamesTheNextAndTheLastNamesNone() {
    assertThat(ListJson.of(new Page<>(List.of("a", "b"), 0, 2, 3), Function.identity()))
        .isEqualTo(new ListJson<>(List.of("a", "b"), "1", 3L));
    assertThat(ListJson.of(new Page<>(List.of("c"), 1, 2, 3), Function.identity()))
        .isEqualTo(new ListJson<>(List.of("c"), null, 3L));
    assertThat(ListJson.of(new Page<>(List.of("a", "b"), 0, 2, 2), Function.identity()).next())
        .isNull();
  }

  @Test
  void whereCountingStopsTheTotalIsLeftOutAndAFullPageHasANextOne() {
    ListJson<String> capped =
        ListJson.of(new Page<>(List.of("a", "b"), 7000, 2, 10_000), Function.identity(), 10_000);
    assertThat(capped.total()).isNull();
    assertThat(capped.next()).isEqualTo("7001");
    assertThat(
            ListJson.of(new Page<>(List.of("z"), 7001, 2, 10_000), Function.identity(), 10_000)
                .next())
        .isNull();
  }

  @Test
  void aWholeListHasNoNextPageAndItsSizeAsTotal() {
    assertThat(ListJson.of(List.of("x", "y")))
        .isEqualTo(new ListJson<>(List.of("x", "y"), null, 2L));
  }

  @Test
  void aCursorIsThePageItNamesAndAnythingElseIsRefusedNamingCursor() {
    assertThat(ListJson.page(null, 4)).isEqualTo(4);
    assertThat(ListJson.page("2", 4)).isEqualTo(2);
    assertThatThrownBy(() -> ListJson.page("-1", 0))
        .isInstanceOf(ValidationException.class)
        .satisfies(
            e ->
                assertThat(((ValidationException) e).errors().getFirst().field())
                    .isEqualTo("cursor"));
    assertThatThrownBy(() -> ListJson.page("abc", 0)).isInstanceOf(ValidationException.class);
  }
}
