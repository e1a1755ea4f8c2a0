package dev.berth.core.support;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The Kubernetes API server's own rules for names and values, as pure functions that mirror {@code
 * k8s.io/apimachinery/pkg/util/validation}: each returns the problems with a value (empty when it
 * is valid), worded like the API server's messages. Berth checks app and task specs with them
 * before it stores anything, on every cluster type, so that an app can move to any cluster and no
 * object Berth writes is ever refused.
 */
public final class KubernetesRules {
  /** {@code DNS1123LabelMaxLength}: names of Services, namespaces, hostnames, label name parts. */
  public static final int LABEL_MAX = 63;

  /** {@code DNS1123SubdomainMaxLength}: names of most objects, label key prefixes. */
  public static final int SUBDOMAIN_MAX = 253;

  /** Container and Service port names ({@code IsValidPortName}). */
  public static final int PORT_NAME_MAX = 15;

  /** {@code TotalAnnotationSizeLimitB}: all annotations of one object together. */
  public static final int ANNOTATIONS_MAX_BYTES = 256 * 1024;

  private static final String LABEL_FMT = "[a-z0-9]([-a-z0-9]*[a-z0-9])?";
  private static final Pattern DNS1123_LABEL = Pattern.compile(LABEL_FMT);
  private static final Pattern DNS1123_SUBDOMAIN =
      Pattern.compile(LABEL_FMT + "(\\." + LABEL_FMT + ")*");
  private static final Pattern DNS1035_LABEL = Pattern.compile("[a-z]([-a-z0-9]*[a-z0-9])?");
  private static final Pattern QUALIFIED_NAME =
      Pattern.compile("([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]");
  private static final Pattern LABEL_VALUE =
      Pattern.compile("(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?");
  private static final Pattern PORT_NAME_CHARS = Pattern.compile("[-a-z0-9]+");
  private static final Pattern PORT_NAME_LETTER = Pattern.compile(".*[a-z].*");
  private static final Pattern ENV_VAR_NAME = Pattern.compile("[-._a-zA-Z][-._a-zA-Z0-9]*");

  private KubernetesRules() {}

  /** {@code IsDNS1123Label}: e.g. {@code my-name}, {@code 123-abc}. */
  public static List<String> dns1123Label(String value) {
    List<String> errs = new ArrayList<>();
    if (value.length() > LABEL_MAX) {
      errs.add(maxLength(LABEL_MAX));
    }
    if (!DNS1123_LABEL.matcher(value).matches()) {
      errs.add(
          "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start"
              + " and end with an alphanumeric character (e.g. 'my-name', or '123-abc')");
    }
    return errs;
  }

  /** {@code IsDNS1123Subdomain}: e.g. {@code example.com}. */
  public static List<String> dns1123Subdomain(String value) {
    List<String> errs = new ArrayList<>();
    if (value.length() > SUBDOMAIN_MAX) {
      errs.add(maxLength(SUBDOMAIN_MAX));
    }
    if (!DNS1123_SUBDOMAIN.matcher(value).matches()) {
      errs.add(
          "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and"
              + " must start and end with an alphanumeric character (e.g. 'example.com')");
    }
    return errs;
  }

  /** {@code IsDNS1035Label}: the rule for Service names; e.g. {@code my-name}, {@code abc-123}. */
  public static List<String> dns1035Label(String value) {
    List<String> errs = new ArrayList<>();
    if (value.length() > LABEL_MAX) {
      errs.add(maxLength(LABEL_MAX));
    }
    if (!DNS1035_LABEL.matcher(value).matches()) {
      errs.add(
          "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic"
              + " character, and end with an alphanumeric character (e.g. 'my-name', or 'abc-123')");
    }
    return errs;
  }

  /**
   * {@code IsQualifiedName}: label and annotation keys, e.g. {@code disk} or {@code
   * example.com/disk}.
   */
  public static List<String> qualifiedName(String value) {
    List<String> errs = new ArrayList<>();
    String[] parts = value.split("/", -1);
    String name;
    if (parts.length == 1) {
      name = parts[0];
    } else if (parts.length == 2) {
      String prefix = parts[0];
      name = parts[1];
      if (prefix.isEmpty()) {
        errs.add("prefix part must be non-empty");
      } else {
        dns1123Subdomain(prefix).forEach(e -> errs.add("prefix part " + e));
      }
    } else {
      errs.add(
          "a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and end with"
              + " an alphanumeric character, with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')");
      return errs;
    }
    if (name.isEmpty()) {
      errs.add("name part must be non-empty");
    } else if (name.length() > LABEL_MAX) {
      errs.add("name part " + maxLength(LABEL_MAX));
    }
    if (!name.isEmpty() && !QUALIFIED_NAME.matcher(name).matches()) {
      errs.add(
          "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an"
              + " alphanumeric character (e.g. 'MyName', or 'my.name', or '123-abc')");
    }
    return errs;
  }

  /**
   * {@code IsValidLabelValue}: empty, or up to 63 alphanumerics, '-', '_', '.' starting and ending
   * alphanumeric.
   */
  public static List<String> labelValue(String value) {
    List<String> errs = new ArrayList<>();
    if (value.length() > LABEL_MAX) {
      errs.add(maxLength(LABEL_MAX));
    }
    if (!LABEL_VALUE.matcher(value).matches()) {
      errs.add(
          "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must"
              + " start and end with an alphanumeric character (e.g. 'MyValue', or 'my_value', or '12345')");
    }
    return errs;
  }

  /**
   * {@code IsValidPortName} (an IANA_SVC_NAME, RFC 6335): at most 15 lower-case letters, digits and
   * '-', at least one letter, no '--', neither starting nor ending with '-'; e.g. {@code http},
   * {@code metrics-2}.
   */
  public static List<String> portName(String value) {
    List<String> errs = new ArrayList<>();
    if (value.length() > PORT_NAME_MAX) {
      errs.add(maxLength(PORT_NAME_MAX));
    }
    if (!PORT_NAME_CHARS.matcher(value).matches()) {
      errs.add("must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)");
    }
    if (!PORT_NAME_LETTER.matcher(value).matches()) {
      errs.add("must contain at least one letter (a-z)");
    }
    if (value.contains("--")) {
      errs.add("must not contain consecutive hyphens");
    }
    if (value.startsWith("-") || value.endsWith("-")) {
      errs.add("must not begin or end with a hyphen");
    }
    return errs;
  }

  /**
   * {@code IsEnvVarName}: letters, digits, '_', '-', '.', not starting with a digit, never '.' or
   * '..'-prefixed.
   */
  public static List<String> envVarName(String value) {
    List<String> errs = new ArrayList<>();
    if (!ENV_VAR_NAME.matcher(value).matches()) {
      errs.add(
          "a valid environment variable name must consist of alphabetic characters, digits, '_', '-', or '.', and"
              + " must not start with a digit (e.g. 'my.env-name', or 'MY_ENV.NAME', or 'MyEnvName1')");
    }
    if (value.equals(".")) {
      errs.add("must not be '.'");
    } else if (value.equals("..")) {
      errs.add("must not be '..'");
    } else if (value.startsWith("..")) {
      errs.add("must not start with '..'");
    }
    return errs;
  }

  /** {@code IsValidPortNum}: 1 to 65535. */
  public static List<String> portNumber(int port) {
    return port >= 1 && port <= 65535
        ? List.of()
        : List.of("must be between 1 and 65535, inclusive");
  }

  private static String maxLength(int max) {
    return "must be no more than " + max + " characters";
  }
}
