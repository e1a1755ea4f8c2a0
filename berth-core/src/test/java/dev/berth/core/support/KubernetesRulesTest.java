package dev.berth.core.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** Valid and invalid examples taken from the tests of k8s.io/apimachinery/pkg/util/validation. */
class KubernetesRulesTest {
  private static void accepts(Function<String, List<String>> rule, String... values) {
    for (String v : values) {
      assertThat(rule.apply(v)).as("'%s' should be valid", v).isEmpty();
    }
  }

  private static void refuses(Function<String, List<String>> rule, String... values) {
    for (String v : values) {
      assertThat(rule.apply(v)).as("'%s' should be invalid", v).isNotEmpty();
    }
  }

  @Test
  void dns1123LabelsAllowLeadingDigitsButNoUpperCaseDotsOrUnderscores() {
    accepts(
        KubernetesRules::dns1123Label,
        "a",
        "ab",
        "abc",
        "a1",
        "a-1",
        "a--1--2--b",
        "0",
        "01",
        "012",
        "1a",
        "1-a",
        "1--a--b--2",
        "a".repeat(63));
    refuses(
        KubernetesRules::dns1123Label,
        "",
        "A",
        "ABC",
        "aBc",
        "A1",
        "A-1",
        "1-A",
        "-",
        "a-",
        "-a",
        "1-",
        "-1",
        "_",
        "a_",
        "_a",
        "a_b",
        "1_",
        "_1",
        "1_2",
        ".",
        "a.",
        ".a",
        "a.b",
        "1.",
        ".1",
        "1.2",
        " ",
        "a ",
        " a",
        "a b",
        "1 ",
        " 1",
        "1 2",
        "a".repeat(64));
  }

  @Test
  void dns1035LabelsMustStartWithALetter() {
    accepts(
        KubernetesRules::dns1035Label, "a", "ab", "abc", "a1", "a-1", "a--1--2--b", "a".repeat(63));
    refuses(
        KubernetesRules::dns1035Label,
        "0",
        "01",
        "012",
        "1a",
        "1-a",
        "1--a--b--2",
        "",
        "A",
        "ABC",
        "aBc",
        "A1",
        "A-1",
        "1-A",
        "-",
        "a-",
        "-a",
        "1-",
        "-1",
        "_",
        "a_",
        "_a",
        "a_b",
        ".",
        "a.",
        ".a",
        "a.b",
        " ",
        "a b",
        "a".repeat(64));
    assertThat(KubernetesRules.dns1035Label("1web"))
        .singleElement()
        .asString()
        .contains("start with an alphabetic character");
  }

  @Test
  void dns1123SubdomainsAllowDotsUpTo253Characters() {
    accepts(
        KubernetesRules::dns1123Subdomain,
        "a",
        "ab",
        "abc",
        "a1",
        "a-1",
        "a--1--2--b",
        "0",
        "01",
        "012",
        "1a",
        "1-a",
        "1--a--b--2",
        "a.a",
        "ab.a",
        "abc.a",
        "a1.a",
        "a-1.a",
        "a--1--2--b.a",
        "a.1",
        "ab.1",
        "abc.1",
        "a1.1",
        "a-1.1",
        "0.a",
        "01.a",
        "012.a",
        "1a.a",
        "1-a.a",
        "1--a--b--2",
        "0.1",
        "01.1",
        "012.1",
        "a".repeat(253));
    refuses(
        KubernetesRules::dns1123Subdomain,
        "",
        "A",
        "ABC",
        "aBc",
        "A1",
        "A-1",
        "1-A",
        "-",
        "a-",
        "-a",
        "1-",
        "-1",
        "_",
        "a_",
        "_a",
        "a_b",
        "1_",
        "_1",
        "1_2",
        ".",
        "a.",
        ".a",
        "a..b",
        "1.",
        ".1",
        "1..2",
        " ",
        "a ",
        " a",
        "a b",
        "A.a",
        "aB.a",
        "ab.A",
        "A1.a",
        "a1.A",
        "A.1",
        "aB.1",
        "A1.1",
        "1A.1",
        "0.A",
        "01.A",
        "012.A",
        "1A.a",
        "1a.A",
        "A.B.C.D.E",
        "AA.BB.CC.DD.EE",
        "a.B.c.d.e",
        "aa.bB.cc.dd.ee",
        "a@b",
        "a,b",
        "a_b",
        "a;b",
        "a:b",
        "a%b",
        "a?b",
        "a$b",
        "a".repeat(254));
  }

  @Test
  void portNamesAreIanaServiceNames() {
    accepts(
        KubernetesRules::portName,
        "telnet",
        "re-mail-ck",
        "pop3",
        "a",
        "a-1",
        "1-a",
        "a-1-b-2-c",
        "1-a-2-b-3",
        "a".repeat(15));
    refuses(
        KubernetesRules::portName,
        "longerthan15characters",
        "",
        "a".repeat(16),
        "12345",
        "1-2-3-4",
        "-begin",
        "end-",
        "two--hyphens",
        "whois++",
        "Http",
        "http_alt");
    assertThat(KubernetesRules.portName("8080"))
        .containsExactly("must contain at least one letter (a-z)");
  }

  @Test
  void qualifiedNamesHaveAnOptionalSubdomainPrefix() {
    accepts(
        KubernetesRules::qualifiedName,
        "simple",
        "now-with-dashes",
        "1-starts-with-num",
        "1234",
        "simple/simple",
        "now-with-dashes/simple",
        "now-with-dashes/now-with-dashes",
        "now.with.dots/simple",
        "now-with.dashes-and.dots/simple",
        "1-num.2-num/3-num",
        "1234/5678",
        "1.2.3.4/5678",
        "Uppercase_Is_OK_123",
        "example.com/Uppercase_Is_OK_123",
        "requests.storage-foo",
        "a".repeat(63),
        "a".repeat(253) + "/" + "b".repeat(63));
    refuses(
        KubernetesRules::qualifiedName,
        "nospecialchars%^=@",
        "cantendwithadash-",
        "-cantstartwithadash-",
        "only/one/slash",
        "Example.com/abc",
        "example_com/abc",
        "example.com/",
        "/simple",
        "a".repeat(64),
        "a".repeat(254) + "/abc");
  }

  @Test
  void labelValuesAreEmptyOrUpTo63Characters() {
    accepts(
        KubernetesRules::labelValue,
        "simple",
        "now-with-dashes",
        "1-starts-with-num",
        "end-with-num-1",
        "1234",
        "a".repeat(63),
        "");
    refuses(
        KubernetesRules::labelValue,
        "nospecialchars%^=@",
        "Tama-nui-te-rā.is_Māori.sun",
        "\\backslashes\\are\\bad",
        "-starts-with-dash",
        "ends-with-dash-",
        ".starts.with.dot",
        "ends.with.dot.",
        "a".repeat(64));
  }

  @Test
  void envVarNamesMustNotStartWithADigitOrBeADirectory() {
    accepts(
        KubernetesRules::envVarName,
        "a",
        "A",
        "ab",
        "abc",
        "aBc",
        "A1",
        "a_1",
        "A_1",
        "a-1",
        "A-1",
        "a.1",
        "A.1",
        "a_b.c-d",
        "_",
        "_a",
        "_1",
        "-",
        "-a",
        ".a",
        "a.b");
    refuses(
        KubernetesRules::envVarName, "", "1", "1a", "a b", "a=b", "a:b", "$a", ".", "..", "..a");
  }

  @Test
  void portNumbersRunFrom1To65535() {
    assertThat(KubernetesRules.portNumber(1)).isEmpty();
    assertThat(KubernetesRules.portNumber(65535)).isEmpty();
    assertThat(KubernetesRules.portNumber(0)).isNotEmpty();
    assertThat(KubernetesRules.portNumber(65536)).isNotEmpty();
  }
}
