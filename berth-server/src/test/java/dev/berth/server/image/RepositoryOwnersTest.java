package dev.berth.server.image;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.core.support.Errors;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Which team owns a repository by prefix, who sees it and whose builds may push to it. */
class RepositoryOwnersTest {
  static RepositoryTeam map(String prefix, String team) {
    return new RepositoryTeam("main", prefix, team, "admin", Instant.EPOCH);
  }

  final RepositoryOwners owners =
      new RepositoryOwners(
          List.of(map("shop/", "shop"), map("shop/payments/", "pay"), map("search/", "search")));

  @Test
  void aPrefixHoldsWholePathSegmentsAndTheRepositoryOfItsOwnName() {
    assertThat(owners.ownerOf("shop/cart")).map(RepositoryTeam::team).contains("shop");
    assertThat(owners.ownerOf("shop/cart/db")).map(RepositoryTeam::team).contains("shop");
    assertThat(owners.ownerOf("shop")).map(RepositoryTeam::team).contains("shop");
    assertThat(owners.ownerOf("shopping/cart")).as("not a segment of shop/").isEmpty();
    assertThat(owners.ownerOf("library/busybox")).isEmpty();
  }

  @Test
  void theLongestMatchingPrefixWins() {
    assertThat(owners.ownerOf("shop/payments/api")).map(RepositoryTeam::team).contains("pay");
    assertThat(owners.ownerOf("shop/paymentsx")).map(RepositoryTeam::team).contains("shop");
  }

  @Test
  void membersSeeTheirTeamsRepositoriesAndUnclaimedOnesAdminsSeeAll() {
    List<String> all = List.of("shop/cart", "shop/payments/api", "search/index", "library/busybox");
    assertThat(all.stream().filter(r -> owners.visibleTo(r, Set.of("shop"))))
        .containsExactly("shop/cart", "library/busybox");
    assertThat(all.stream().filter(r -> owners.visibleTo(r, Set.of("pay", "search"))))
        .containsExactly("shop/payments/api", "search/index", "library/busybox");
    assertThat(all.stream().filter(r -> owners.visibleTo(r, Set.of())))
        .containsExactly("library/busybox");
    assertThat(all.stream().filter(r -> owners.visibleTo(r, null))).containsExactlyElementsOf(all);
  }

  @Test
  void aBuildPushesToItsTeamsPrefixesAndUnclaimedRepositoriesOnly() {
    assertThat(owners.pushableBy("shop/cart", "shop")).isTrue();
    assertThat(owners.pushableBy("shop/payments/api", "shop")).isFalse();
    assertThat(owners.pushableBy("search/index", "shop")).isFalse();
    assertThat(owners.pushableBy("tools/lint", "shop")).isTrue();
    assertThat(owners.prefixesOf("shop")).containsExactly("shop/");
  }

  @Test
  void prefixesAreStoredWithOneTrailingSlashAndCheckedAsRepositoryPaths() {
    assertThat(RepositoryOwners.normalize(" Shop ")).isEqualTo("shop/");
    assertThat(RepositoryOwners.normalize("/shop/payments/")).isEqualTo("shop/payments/");
    assertThat(errors("shop/")).isEmpty();
    assertThat(errors("shop/pay-ments_2/")).isEmpty();
    assertThat(errors("")).singleElement().asString().contains("is required");
    assertThat(errors("shop//x")).singleElement().asString().contains("not a repository path");
    assertThat(errors("shop!/")).singleElement().asString().contains("not a repository path");
  }

  static List<String> errors(String prefix) {
    Errors errors = new Errors();
    RepositoryOwners.validatePrefix(prefix, errors);
    return errors.list().stream().map(e -> e.field() + ": " + e.message()).toList();
  }
}
