package dev.berth.server.build;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import dev.berth.core.support.ValidationException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.web.multipart.MultipartFile;
import org.springframework.web.multipart.MultipartHttpServletRequest;

/**
 * Reads a multipart request the build API takes: one JSON part (as a form field or a file part) and
 * the uploaded files, every other part, by name. JSON errors become field errors under the part's
 * name, e.g. {@code spec.layers[0].files}.
 */
final class JsonPart {
  private JsonPart() {}

  static <T> T read(
      MultipartHttpServletRequest request, String name, Class<T> type, ObjectMapper mapper) {
    String json = request.getParameter(name);
    MultipartFile file = request.getFile(name);
    try {
      if (json == null && file != null) {
        json = new String(file.getBytes(), StandardCharsets.UTF_8);
      }
    } catch (IOException e) {
      throw ValidationException.of(name, "cannot be read: " + e.getMessage());
    }
    if (json == null || json.isBlank()) {
      throw ValidationException.of(
          name, "is required: send the JSON as a multipart part named '" + name + "'");
    }
    try {
      return mapper.readValue(json, type);
    } catch (UnrecognizedPropertyException e) {
      throw ValidationException.of(path(name, e), "is not a known field");
    } catch (JsonMappingException e) {
      throw ValidationException.of(path(name, e), e.getOriginalMessage());
    } catch (JsonProcessingException e) {
      throw ValidationException.of(name, "is not valid JSON: " + e.getOriginalMessage());
    }
  }

  /** The uploaded files: every file part except the JSON one. */
  static Map<String, MultipartFile> uploads(MultipartHttpServletRequest request, String jsonPart) {
    Map<String, MultipartFile> parts = new LinkedHashMap<>(request.getFileMap());
    parts.remove(jsonPart);
    return parts;
  }

  private static String path(String root, JsonMappingException e) {
    StringBuilder sb = new StringBuilder(root);
    for (JsonMappingException.Reference r : e.getPath()) {
      if (r.getFieldName() != null) {
        sb.append('.').append(r.getFieldName());
      } else if (r.getIndex() >= 0) {
        sb.append('[').append(r.getIndex()).append(']');
      }
    }
    return sb.toString();
  }
}
