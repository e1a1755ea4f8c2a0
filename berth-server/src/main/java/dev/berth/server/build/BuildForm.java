package dev.berth.server.build;

import dev.berth.core.support.ValidationException;
import dev.berth.core.support.ValidationException.FieldError;
import dev.berth.oci.build.ArchiveSpec;
import dev.berth.oci.build.BuildSpec;
import dev.berth.oci.build.FileSpec;
import dev.berth.server.portal.CommandLine;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.web.multipart.MultipartFile;

/**
 * The start-a-build form as the user typed it: the spec's fields as text (lists one item a line,
 * maps {@code KEY=value} lines), an archive to unpack and files to add into one directory, all in
 * the image's top {@code app} layer. With a template name the spec is saved as that template
 * instead. {@link #toSpec} names uploads {@code archive} and {@code file-<n>}.
 */
public class BuildForm {
  private String templateName = "";
  private String team = "";
  private String image = "";
  private String base = "";
  private String template = "";
  private String workdir = "";
  private String entrypoint = "";
  private String cmd = "";
  private String env = "";
  private String ports = "";
  private String user = "";
  private String labels = "";
  private String archiveDir = "/";
  private String filesDir = "/app";
  private String filesMode = "0644";

  /** The spec, with the uploads it names put into {@code parts}. */
  public BuildSpec toSpec(
      MultipartFile archive, List<MultipartFile> files, Map<String, MultipartFile> parts) {
    List<FieldError> errors = new ArrayList<>();
    List<ArchiveSpec> archives = new ArrayList<>();
    if (archive != null && !archive.isEmpty()) {
      parts.put("archive", archive);
      archives.add(new ArchiveSpec("archive", blankToNull(archiveDir)));
    }
    List<FileSpec> fileSpecs = new ArrayList<>();
    String dir = filesDir == null || filesDir.isBlank() ? "/" : filesDir.strip();
    for (MultipartFile f : files == null ? List.<MultipartFile>of() : files) {
      if (f.isEmpty() && (f.getOriginalFilename() == null || f.getOriginalFilename().isEmpty())) {
        continue;
      }
      String name =
          f.getOriginalFilename() == null
              ? ""
              : f.getOriginalFilename().replaceAll(".*[/\\\\]", "");
      if (name.isEmpty()) {
        errors.add(new FieldError("files", "every file needs a name"));
        continue;
      }
      String part = "file-" + fileSpecs.size();
      parts.put(part, f);
      fileSpecs.add(
          new FileSpec(
              (dir.endsWith("/") ? dir : dir + "/") + name, null, part, blankToNull(filesMode)));
    }
    Map<String, String> envMap = pairs(env, "env", errors);
    Map<String, String> labelMap = pairs(labels, "labels", errors);
    List<String> entrypointArgs = commandLine(entrypoint, "entrypoint", errors);
    List<String> cmdArgs = commandLine(cmd, "cmd", errors);
    if (!errors.isEmpty()) {
      throw new ValidationException(errors);
    }
    return new BuildSpec(
        image.strip(),
        blankToNull(base),
        blankToNull(template),
        List.of(),
        fileSpecs,
        archives,
        blankToNull(workdir),
        entrypointArgs,
        cmdArgs,
        envMap,
        lines(ports.replace(',', '\n')),
        blankToNull(user),
        labelMap);
  }

  /**
   * Validation errors by form field: {@code env.X} → env, {@code files[0].path} → files, {@code
   * spec.image} → image.
   */
  public static Map<String, List<String>> errorsByField(List<FieldError> errors) {
    Map<String, List<String>> byField = new LinkedHashMap<>();
    for (FieldError e : errors) {
      String f = e.field().startsWith("spec.") ? e.field().substring(5) : e.field();
      String field = f.equals("name") ? "templateName" : f.replaceAll("[.\\[].*", "");
      if (field.equals("archives") || field.equals("layers")) {
        field = field.equals("archives") ? "archive" : "";
      } else if (field.equals("parts")) {
        field = "files";
      }
      if (!List.of(
              "templateName",
              "team",
              "image",
              "base",
              "template",
              "workdir",
              "entrypoint",
              "cmd",
              "env",
              "ports",
              "user",
              "labels",
              "archive",
              "files")
          .contains(field)) {
        field = "";
      }
      byField
          .computeIfAbsent(field, k -> new ArrayList<>())
          .add(
              field.equals(f) || field.isEmpty()
                  ? (field.isEmpty() ? e.field() + ": " : "") + e.message()
                  : f + ": " + e.message());
    }
    return byField;
  }

  private static Map<String, String> pairs(String text, String field, List<FieldError> errors) {
    Map<String, String> map = new LinkedHashMap<>();
    for (String line : lines(text)) {
      int eq = line.indexOf('=');
      if (eq <= 0) {
        errors.add(new FieldError(field, "each line must be KEY=value, was '" + line + "'"));
      } else {
        map.put(line.substring(0, eq).strip(), line.substring(eq + 1));
      }
    }
    return map;
  }

  private static List<String> lines(String text) {
    return text == null
        ? List.of()
        : text.lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
  }

  /**
   * The arguments of a command line split like a shell does; null (the base image's) when empty.
   */
  private static List<String> commandLine(String text, String field, List<FieldError> errors) {
    try {
      List<String> args = CommandLine.split(text, field);
      return args.isEmpty() ? null : args;
    } catch (ValidationException e) {
      errors.addAll(e.errors());
      return null;
    }
  }

  public List<String> getEntrypointArgs() {
    return splitOrEmpty(entrypoint, "entrypoint");
  }

  public List<String> getCmdArgs() {
    return splitOrEmpty(cmd, "cmd");
  }

  private static List<String> splitOrEmpty(String text, String field) {
    List<String> args = commandLine(text, field, new ArrayList<>());
    return args == null ? List.of() : args;
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s.strip();
  }

  public String getTemplateName() {
    return templateName;
  }

  public void setTemplateName(String v) {
    templateName = v;
  }

  public String getTeam() {
    return team;
  }

  public void setTeam(String v) {
    team = v;
  }

  public String getImage() {
    return image;
  }

  public void setImage(String v) {
    image = v;
  }

  public String getBase() {
    return base;
  }

  public void setBase(String v) {
    base = v;
  }

  public String getTemplate() {
    return template;
  }

  public void setTemplate(String v) {
    template = v;
  }

  public String getWorkdir() {
    return workdir;
  }

  public void setWorkdir(String v) {
    workdir = v;
  }

  public String getEntrypoint() {
    return entrypoint;
  }

  public void setEntrypoint(String v) {
    entrypoint = v;
  }

  public String getCmd() {
    return cmd;
  }

  public void setCmd(String v) {
    cmd = v;
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

  public String getUser() {
    return user;
  }

  public void setUser(String v) {
    user = v;
  }

  public String getLabels() {
    return labels;
  }

  public void setLabels(String v) {
    labels = v;
  }

  public String getArchiveDir() {
    return archiveDir;
  }

  public void setArchiveDir(String v) {
    archiveDir = v;
  }

  public String getFilesDir() {
    return filesDir;
  }

  public void setFilesDir(String v) {
    filesDir = v;
  }

  public String getFilesMode() {
    return filesMode;
  }

  public void setFilesMode(String v) {
    filesMode = v;
  }
}
