package dev.berth.server.app;

import dev.berth.core.app.App;
import dev.berth.core.app.AppRequest;
import dev.berth.core.app.AppSpec;
import dev.berth.core.app.CpuPolicy;
import dev.berth.core.app.Health;
import dev.berth.core.app.PortSpec;
import dev.berth.core.app.Probe;
import dev.berth.core.app.ProbeType;
import dev.berth.core.app.Resources;
import dev.berth.core.support.ValidationException;
import dev.berth.core.support.ValidationException.FieldError;
import dev.berth.server.portal.CommandLine;
import dev.berth.server.portal.FormErrors;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The create and modify form of an application, field by field as the user typed it (so that a page
 * with errors shows the input again). {@link #toRequest} reads it into the same {@link AppRequest}
 * the API builds from JSON; what the form does not show (liveness check, lifecycle, pids, probe
 * timings) is kept from the current spec. Command and arguments are each one line split like a
 * shell does ({@link CommandLine}); env is {@code KEY=value} and ports {@code name:port} or {@code
 * port}, one a line.
 */
public class AppForm {
  private String name = "";
  private String team = "";
  private String cluster = "local";
  private String image = "";
  private String command = "";
  private String args = "";
  private String env = "";
  private String ports = "";
  private String cpu = "0.1";
  private String cpuLimit = "";
  private String memoryMiB = "256";
  private String cpuPolicy = "shares";
  private String instances = "1";
  private String readinessType = "none";
  private String readinessPort = "";
  private String readinessPath = "/";
  private String version = "";

  /** The form of an existing application, for modifying it. */
  public static AppForm of(App app) {
    AppSpec s = app.spec();
    AppForm f = new AppForm();
    f.name = app.name();
    f.team = app.team();
    f.cluster = app.cluster();
    f.image = s.image();
    f.command = CommandLine.join(s.command());
    f.args = CommandLine.join(s.args());
    f.env =
        s.env().entrySet().stream()
            .map(e -> e.getKey() + "=" + e.getValue())
            .collect(Collectors.joining("\n"));
    f.ports =
        s.ports().stream()
            .map(
                p ->
                    p.name() == null || p.name().isEmpty()
                        ? Integer.toString(p.port())
                        : p.name() + ":" + p.port())
            .collect(Collectors.joining("\n"));
    f.cpu = number(s.resources().cpu());
    f.cpuLimit = s.resources().cpuLimit() == 0 ? "" : number(s.resources().cpuLimit());
    f.memoryMiB = Integer.toString(s.resources().memoryMiB());
    f.cpuPolicy = s.resources().cpuPolicy().toString();
    f.instances = Integer.toString(app.instances());
    Probe r = s.health().readiness();
    if (r != null) {
      f.readinessType = r.type().name().toLowerCase(Locale.ROOT);
      f.readinessPort = r.port() == null ? "" : Integer.toString(r.port());
      f.readinessPath = r.path() == null ? "/" : r.path();
    }
    f.version = Long.toString(app.version());
    return f;
  }

  /**
   * The request this form asks for, on top of {@code base} (the current spec when modifying, null
   * when creating).
   *
   * @throws ValidationException naming form fields whose text is not a number, a port list or an
   *     env list
   */
  public AppRequest toRequest(AppSpec base) {
    return parse(base).orThrow();
  }

  /**
   * Like {@link #toRequest}, with what the form could not read left empty and those reading errors.
   */
  public FormErrors.Parsed<AppRequest> parse(AppSpec base) {
    List<FieldError> errors = new ArrayList<>();
    double cpuValue = decimal(cpu, "resources.cpu", 0, errors);
    double limit = decimal(cpuLimit, "resources.cpuLimit", 0, errors);
    int memory = whole(memoryMiB, "resources.memoryMiB", 0, errors);
    Integer count = blank(instances) ? null : whole(instances, "instances", 0, errors);
    CpuPolicy policy =
        switch (cpuPolicy == null ? "" : cpuPolicy.strip()) {
          case "", "shares" -> CpuPolicy.SHARES;
          case "cpuset" -> CpuPolicy.CPUSET;
          default -> {
            errors.add(
                new FieldError(
                    "resources.cpuPolicy",
                    "must be 'shares' or 'cpuset', was '" + cpuPolicy + "'"));
            yield CpuPolicy.SHARES;
          }
        };
    Map<String, String> envMap = envMap(errors);
    List<PortSpec> portList = portList(errors);
    Health health = health(base, errors);
    Long expected = blank(version) ? null : (long) whole(version, "version", 0, errors);
    List<String> commandArgs = split(command, "command", errors);
    List<String> argsArgs = split(args, "args", errors);
    int pids = base == null ? 0 : base.resources().pids();
    Resources resources = new Resources(cpuValue, limit, memory, policy, pids);
    AppSpec spec =
        new AppSpec(
            image == null ? null : image.strip(),
            commandArgs,
            argsArgs,
            envMap,
            portList,
            resources,
            health,
            base == null ? null : base.lifecycle(),
            base == null ? null : base.scheduling(),
            base == null ? null : base.security(),
            base == null ? null : base.routes());
    AppRequest request =
        new AppRequest(
            name == null ? null : name.strip(),
            blank(team) ? null : team.strip(),
            blank(cluster) ? null : cluster.strip(),
            spec,
            count,
            expected);
    return new FormErrors.Parsed<>(request, errors);
  }

  private static List<String> split(String line, String field, List<FieldError> errors) {
    try {
      return CommandLine.split(line, field);
    } catch (ValidationException e) {
      errors.addAll(e.errors());
      return List.of();
    }
  }

  /**
   * How the server splits the command line, for the form to show; empty when it cannot be split.
   */
  public List<String> getCommandArgs() {
    return split(command, "command", new ArrayList<>());
  }

  /**
   * How the server splits the arguments line, for the form to show; empty when it cannot be split.
   */
  public List<String> getArgsArgs() {
    return split(args, "args", new ArrayList<>());
  }

  /**
   * Which form field shows an error of the API's field: {@code resources.cpu} under "cpu", {@code
   * ports[1].port} under "ports", {@code env.X} under "env"; anything the form does not show under
   * "".
   */
  public static String formField(String apiField) {
    if (apiField.startsWith("resources.")) {
      String f = apiField.substring("resources.".length());
      return f.equals("pids") ? "" : f;
    }
    if (apiField.startsWith("env")) {
      return "env";
    }
    if (apiField.startsWith("ports")) {
      return "ports";
    }
    if (apiField.startsWith("command")) {
      return "command";
    }
    if (apiField.startsWith("args")) {
      return "args";
    }
    if (apiField.equals("health.readiness.port")) {
      return "readinessPort";
    }
    if (apiField.equals("health.readiness.path")) {
      return "readinessPath";
    }
    if (apiField.startsWith("health.readiness")) {
      return "readinessType";
    }
    return switch (apiField) {
      case "name", "team", "cluster", "image", "instances", "version" -> apiField;
      default -> "";
    };
  }

  /** The errors of a refused request by form field; "" holds those without a field on the form. */
  public static Map<String, List<String>> errorsByField(List<FieldError> errors) {
    Map<String, List<String>> byField = new LinkedHashMap<>();
    for (FieldError e : errors) {
      String field = formField(e.field());
      String message =
          field.isEmpty() || !e.field().equals(apiName(field))
              ? e.field() + ": " + e.message()
              : e.message();
      byField.computeIfAbsent(field, k -> new ArrayList<>()).add(message);
    }
    return byField;
  }

  private static String apiName(String formField) {
    return switch (formField) {
      case "cpu", "cpuLimit", "memoryMiB", "cpuPolicy" -> "resources." + formField;
      case "readinessPort" -> "health.readiness.port";
      case "readinessPath" -> "health.readiness.path";
      default -> formField;
    };
  }

  private Health health(AppSpec base, List<FieldError> errors) {
    Probe liveness = base == null ? null : base.health().liveness();
    Probe old = base == null ? null : base.health().readiness();
    String type = readinessType == null ? "none" : readinessType.strip().toLowerCase(Locale.ROOT);
    if (type.isEmpty() || type.equals("none")) {
      return new Health(liveness, null);
    }
    ProbeType t;
    try {
      t = ProbeType.valueOf(type.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      errors.add(
          new FieldError(
              "health.readiness.type", "must be none, http or tcp, was '" + readinessType + "'"));
      return new Health(liveness, null);
    }
    Integer port =
        blank(readinessPort) ? null : whole(readinessPort, "health.readiness.port", 0, errors);
    String path = t == ProbeType.HTTP ? (blank(readinessPath) ? "/" : readinessPath.strip()) : null;
    Probe p =
        old != null
            ? new Probe(
                t,
                port,
                path,
                old.command(),
                old.initialDelaySeconds(),
                old.periodSeconds(),
                old.timeoutSeconds(),
                old.failureThreshold(),
                old.successThreshold())
            : new Probe(t, port, path, List.of(), 0, 0, 0, 0, 0);
    return new Health(liveness, p);
  }

  private Map<String, String> envMap(List<FieldError> errors) {
    Map<String, String> map = new LinkedHashMap<>();
    for (String line : lines(env)) {
      int eq = line.indexOf('=');
      if (eq <= 0) {
        errors.add(new FieldError("env", "each line must be KEY=value, was '" + line + "'"));
      } else {
        map.put(line.substring(0, eq).strip(), line.substring(eq + 1));
      }
    }
    return map;
  }

  private List<PortSpec> portList(List<FieldError> errors) {
    List<PortSpec> list = new ArrayList<>();
    for (String line : lines(ports)) {
      int colon = line.lastIndexOf(':');
      String portName = colon < 0 ? null : line.substring(0, colon).strip();
      String number = colon < 0 ? line : line.substring(colon + 1).strip();
      try {
        list.add(new PortSpec(portName, Integer.parseInt(number), null));
      } catch (NumberFormatException e) {
        errors.add(
            new FieldError("ports", "each line must be name:port or port, was '" + line + "'"));
      }
    }
    return list;
  }

  private static List<String> lines(String text) {
    if (text == null) {
      return List.of();
    }
    return text.lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
  }

  private static boolean blank(String s) {
    return s == null || s.isBlank();
  }

  private static double decimal(String text, String field, double empty, List<FieldError> errors) {
    if (blank(text)) {
      return empty;
    }
    try {
      return Double.parseDouble(text.strip());
    } catch (NumberFormatException e) {
      errors.add(new FieldError(field, "must be a number, was '" + text + "'"));
      return empty;
    }
  }

  private static int whole(String text, String field, int empty, List<FieldError> errors) {
    if (blank(text)) {
      return empty;
    }
    try {
      return Integer.parseInt(text.strip());
    } catch (NumberFormatException e) {
      errors.add(new FieldError(field, "must be a whole number, was '" + text + "'"));
      return empty;
    }
  }

  private static String number(double d) {
    return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
  }

  // Getters and setters for form binding.
  public String getName() {
    return name;
  }

  public void setName(String v) {
    name = v;
  }

  public String getTeam() {
    return team;
  }

  public void setTeam(String v) {
    team = v;
  }

  public String getCluster() {
    return cluster;
  }

  public void setCluster(String v) {
    cluster = v;
  }

  public String getImage() {
    return image;
  }

  public void setImage(String v) {
    image = v;
  }

  public String getCommand() {
    return command;
  }

  public void setCommand(String v) {
    command = v;
  }

  public String getArgs() {
    return args;
  }

  public void setArgs(String v) {
    args = v;
  }

  public String getEnv() {
    return env;
  }

  public void setEnv(String v) {
    env = v;
  }

  public String getPorts() {
    return ports;
  }

  public void setPorts(String v) {
    ports = v;
  }

  public String getCpu() {
    return cpu;
  }

  public void setCpu(String v) {
    cpu = v;
  }

  public String getCpuLimit() {
    return cpuLimit;
  }

  public void setCpuLimit(String v) {
    cpuLimit = v;
  }

  public String getMemoryMiB() {
    return memoryMiB;
  }

  public void setMemoryMiB(String v) {
    memoryMiB = v;
  }

  public String getCpuPolicy() {
    return cpuPolicy;
  }

  public void setCpuPolicy(String v) {
    cpuPolicy = v;
  }

  public String getInstances() {
    return instances;
  }

  public void setInstances(String v) {
    instances = v;
  }

  public String getReadinessType() {
    return readinessType;
  }

  public void setReadinessType(String v) {
    readinessType = v;
  }

  public String getReadinessPort() {
    return readinessPort;
  }

  public void setReadinessPort(String v) {
    readinessPort = v;
  }

  public String getReadinessPath() {
    return readinessPath;
  }

  public void setReadinessPath(String v) {
    readinessPath = v;
  }

  public String getVersion() {
    return version;
  }

  public void setVersion(String v) {
    version = v;
  }
}
