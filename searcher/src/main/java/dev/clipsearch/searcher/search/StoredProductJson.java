package dev.clipsearch.searcher.search;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;

/**
 * The display fields of a stored product, read back from its canonical JSON (written by the
 * indexer's {@code ProductJson}). The one place in the searcher that knows the JSON's field names.
 */
final class StoredProductJson {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final JsonNode json;

  private StoredProductJson(JsonNode json) {
    this.json = json;
  }

  static StoredProductJson parse(String json) {
    try {
      return new StoredProductJson(MAPPER.readTree(json));
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException("stored product JSON is not valid JSON", e);
    }
  }

  String title() {
    return text("title");
  }

  String description() {
    return text("description");
  }

  Double price() {
    JsonNode node = json.get("price");
    return node == null || !node.isNumber() ? null : node.asDouble();
  }

  String currency() {
    return text("currency");
  }

  String category() {
    return text("category");
  }

  String brand() {
    return text("brand");
  }

  String url() {
    return text("url");
  }

  List<String> tags() {
    return json.has("tags")
        ? MAPPER.convertValue(json.get("tags"), new TypeReference<List<String>>() {})
        : List.of();
  }

  Map<String, Object> attributes() {
    return json.has("attributes")
        ? MAPPER.convertValue(json.get("attributes"), new TypeReference<Map<String, Object>>() {})
        : Map.of();
  }

  private String text(String field) {
    JsonNode node = json.get(field);
    return node == null || node.isNull() ? null : node.asText();
  }
}
