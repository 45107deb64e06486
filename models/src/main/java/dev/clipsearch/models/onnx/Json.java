package dev.clipsearch.models.onnx;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.clipsearch.models.ModelLoadException;
import java.io.IOException;

/**
 * One parsed JSON configuration file with typed field access whose errors name the file and the
 * field. Paths are dotted ({@code text_config.max_position_embeddings}).
 */
final class Json {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final String file;
  private final JsonNode root;

  private Json(String file, JsonNode root) {
    this.file = file;
    this.root = root;
  }

  static Json read(ModelSource source) {
    try {
      JsonNode root = MAPPER.readTree(source.readAllBytes());
      if (root == null || !root.isObject()) {
        throw new ModelLoadException(source.describe() + ": expected a JSON object");
      }
      return new Json(source.describe(), root);
    } catch (JsonProcessingException e) {
      throw new ModelLoadException(
          source.describe() + ": invalid JSON: " + e.getOriginalMessage(), e);
    } catch (IOException e) {
      throw new ModelLoadException(source.describe() + ": cannot read: " + e.getMessage(), e);
    }
  }

  String file() {
    return file;
  }

  boolean has(String path) {
    return node(path) != null;
  }

  JsonNode node(String path) {
    JsonNode n = root;
    for (String part : path.split("\\.")) {
      n = n.get(part);
      if (n == null || n.isNull()) {
        return null;
      }
    }
    return n;
  }

  String text(String path, String fallback) {
    JsonNode n = node(path);
    if (n == null) {
      return fallback;
    }
    if (!n.isTextual()) {
      throw invalid(path, "a string", n);
    }
    return n.asText();
  }

  String requiredText(String path) {
    String s = text(path, null);
    if (s == null || s.isBlank()) {
      throw missing(path);
    }
    return s;
  }

  int positiveInt(String path, int fallback) {
    JsonNode n = node(path);
    if (n == null) {
      return fallback;
    }
    if (!n.canConvertToInt() || !n.isIntegralNumber() || n.asInt() <= 0) {
      throw invalid(path, "a positive integer", n);
    }
    return n.asInt();
  }

  int requiredPositiveInt(String path) {
    if (!has(path)) {
      throw missing(path);
    }
    return positiveInt(path, 0);
  }

  float positiveFloat(String path, float fallback) {
    JsonNode n = node(path);
    if (n == null) {
      return fallback;
    }
    if (!n.isNumber() || !(n.floatValue() > 0) || Float.isInfinite(n.floatValue())) {
      throw invalid(path, "a positive number", n);
    }
    return n.floatValue();
  }

  boolean bool(String path, boolean fallback) {
    JsonNode n = node(path);
    if (n == null) {
      return fallback;
    }
    if (!n.isBoolean()) {
      throw invalid(path, "true or false", n);
    }
    return n.asBoolean();
  }

  /** An array of exactly {@code length} numbers, or null when the field is absent. */
  float[] floats(String path, int length) {
    JsonNode n = node(path);
    if (n == null) {
      return null;
    }
    if (!n.isArray() || n.size() != length) {
      throw invalid(path, "an array of " + length + " numbers", n);
    }
    float[] out = new float[length];
    for (int i = 0; i < length; i++) {
      if (!n.get(i).isNumber()) {
        throw invalid(path, "an array of " + length + " numbers", n);
      }
      out[i] = n.get(i).floatValue();
    }
    return out;
  }

  /**
   * An image side given as {@code 224}, {@code [224, 224]} or {@code {"height":224,"width":224}}.
   */
  int squareSide(String path, int fallback) {
    JsonNode n = node(path);
    if (n == null) {
      return fallback;
    }
    int h;
    int w;
    if (n.isIntegralNumber()) {
      h = w = n.asInt();
    } else if (n.isArray() && n.size() == 2 && n.get(0).isIntegralNumber()) {
      h = n.get(0).asInt();
      w = n.get(1).asInt();
    } else if (n.isObject() && n.has("height") && n.has("width")) {
      h = n.get("height").asInt();
      w = n.get("width").asInt();
    } else if (n.isObject() && n.has("shortest_edge")) {
      h = w = n.get("shortest_edge").asInt();
    } else {
      throw invalid(path, "a size (224, [224, 224] or {\"height\": 224, \"width\": 224})", n);
    }
    if (h != w || h <= 0) {
      throw new ModelLoadException(
          file + ": " + path + " is " + n + "; only square, positive image sizes are supported");
    }
    return h;
  }

  ModelLoadException missing(String path) {
    return new ModelLoadException(file + ": required field '" + path + "' is missing");
  }

  ModelLoadException invalid(String path, String expected, JsonNode got) {
    return new ModelLoadException(
        file + ": field '" + path + "' must be " + expected + ", got " + got);
  }
}
