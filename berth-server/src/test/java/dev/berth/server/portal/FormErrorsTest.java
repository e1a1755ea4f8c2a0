package dev.berth.server.portal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.core.support.ValidationException.FieldError;
import dev.berth.server.app.AppForm;
import dev.berth.server.task.TaskForm;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FormErrorsTest {
  @Test
  void keepsTheFormsReadingErrorsAndAddsTheApisForEveryOtherField() {
    List<FieldError> typed =
        List.of(new FieldError("resources.memoryMiB", "must be a whole number, was 'lots'"));
    List<FieldError> checked =
        List.of(
            new FieldError("name", "must be a DNS-1123 label"),
            new FieldError("resources.memoryMiB", "must be between 4 and 1048576 MiB, was 0"),
            new FieldError("resources.pids", "must be >= 0"));
    List<FieldError> all = FormErrors.merge(typed, checked, AppForm::formField);
    assertThat(all)
        .extracting(FieldError::message)
        .containsExactly(
            "must be a whole number, was 'lots'", "must be a DNS-1123 label", "must be >= 0");
  }

  @Test
  void putsErrorsOfFieldsTheFormDoesNotShowInTheSummaryWithTheirApiName() {
    Map<String, List<String>> byField =
        TaskForm.errorsByField(
            List.of(
                new FieldError("trigger.cron", "is required"),
                new FieldError("retries", "must be between 0 and 10, was 11")));
    assertThat(byField).containsEntry("cron", List.of("is required"));
    assertThat(byField).containsEntry("", List.of("retries: must be between 0 and 10, was 11"));
  }

  @Test
  void readsEveryFieldItCanAndReportsTheOthers() {
    TaskForm form = new TaskForm();
    form.setName("Bad Task");
    form.setCommand("sh -c 'echo");
    form.setTimeoutSeconds("soon");
    FormErrors.Parsed<?> parsed = form.parse();
    assertThat(parsed.errors())
        .extracting(FieldError::field)
        .containsExactly("timeoutSeconds", "command");
    assertThat(parsed.request()).isNotNull();
  }

  @Test
  void readsAnOfflineTaskFromTheFormAndWaitsForItsRunInsteadOfBlocking() {
    TaskForm form = new TaskForm();
    form.setName("night");
    form.setImage("registry.test/job:1");
    form.setPlacement("offline");
    form.setWindow("01:00-06:00");
    form.setWindowTimeZone("Asia/Shanghai");
    form.setIdle("many");
    FormErrors.Parsed<dev.berth.core.task.TaskRequest> parsed = form.parse();
    assertThat(parsed.errors()).extracting(FieldError::field).containsExactly("idle");
    dev.berth.core.task.Placement p = parsed.request().spec().placement();
    assertThat(p.kind()).isEqualTo(dev.berth.core.task.Placement.Kind.OFFLINE);
    assertThat(p.window()).isEqualTo("01:00-06:00");
    assertThat(p.timeZone()).isEqualTo("Asia/Shanghai");
    assertThat(parsed.request().mode()).isEqualTo(dev.berth.core.task.RunMode.ASYNC);
    assertThat(TaskForm.errorsByField(List.of(new FieldError("windowTimeZone", "unknown"))))
        .containsEntry("windowTimeZone", List.of("unknown"));
  }
}
