package dev.clipsearch.indexer.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.clipsearch.indexer.report.FailureReason;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Turns one catalog entry (a JSON object or a CSV record) into a {@link Product}, with the same
 * rules for both formats:
 *
 * <ul>
 *   <li>{@code id}: a non-blank string (a JSON integer is accepted), at most {@value
 *       #MAX_ID_LENGTH} characters;
 *   <li>{@code title}, {@code description}, {@code brand}, {@code currency}, {@code url}: text (a
 *       JSON number or boolean is taken as its text); blank means absent;
 *   <li>{@code category}: a path {@code A > B > C}, or a JSON array of levels;
 *   <li>{@code price}: a non-negative number, or a string holding one;
 *   <li>{@code tags}: a JSON array of strings, or a string separated by {@code |} or {@code ,};
 *   <li>{@code images} (alias {@code image}): a JSON array of strings or one string; in CSV one
 *       cell separated by {@code |} (URLs may hold commas);
 *   <li>anything else is kept in {@link Product#attributes()}.
 * </ul>
 */
public final class ProductParser {

  /** Longest accepted id, in characters (ids become Lucene terms). */
  public static final int MAX_ID_LENGTH = 512;

  static final Set<String> KNOWN_FIELDS =
      Set.of(
          "id",
          "title",
          "description",
          "brand",
          "category",
          "price",
          "currency",
          "tags",
          "url",
          "images",
          "image");

  private static final Pattern TAG_SEPARATOR = Pattern.compile("[|,]");
  private static final Pattern CSV_IMAGE_SEPARATOR = Pattern.compile("\\|");

  private final ObjectMapper mapper;

  public ProductParser(ObjectMapper mapper) {
    this.mapper = mapper;
  }

  /** A product from one JSON object. */
  public Product fromJson(ObjectNode node) throws InvalidProductException {
    String id = parseId(node.get("id"));
    String title = text(node, "title", id);
    String description = text(node, "description", id);
    String brand = text(node, "brand", id);
    String category = category(node.get("category"), id);
    BigDecimal price = price(node.get("price"), id);
    String currency = text(node, "currency", id);
    List<String> tags = jsonList(node.get("tags"), "tags", id, TAG_SEPARATOR);
    String url = text(node, "url", id);
    List<String> images = new ArrayList<>(jsonList(node.get("images"), "images", id, null));
    images.addAll(jsonList(node.get("image"), "image", id, null));
    Map<String, Object> attributes = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = node.properties().iterator(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      if (!KNOWN_FIELDS.contains(field.getKey()) && !field.getValue().isNull()) {
        attributes.put(field.getKey(), mapper.convertValue(field.getValue(), Object.class));
      }
    }
    return new Product(
        id,
        title,
        description,
        brand,
        category,
        price,
        currency,
        distinct(tags),
        url,
        images,
        attributes);
  }

  /** A product from one CSV record, as header name to cell. */
  public Product fromCsv(Map<String, String> record) throws InvalidProductException {
    String rawId = blankToNull(record.get("id"));
    if (rawId == null) {
      throw new InvalidProductException(FailureReason.MISSING_ID, null, "no id");
    }
    String id = checkId(rawId);
    BigDecimal price = parsePrice(blankToNull(record.get("price")), id);
    List<String> images = new ArrayList<>(split(record.get("images"), CSV_IMAGE_SEPARATOR));
    images.addAll(split(record.get("image"), CSV_IMAGE_SEPARATOR));
    Map<String, Object> attributes = new LinkedHashMap<>();
    for (Map.Entry<String, String> cell : record.entrySet()) {
      String value = blankToNull(cell.getValue());
      if (!KNOWN_FIELDS.contains(cell.getKey()) && value != null) {
        attributes.put(cell.getKey(), value);
      }
    }
    return new Product(
        id,
        blankToNull(record.get("title")),
        blankToNull(record.get("description")),
        blankToNull(record.get("brand")),
        blankToNull(record.get("category")),
        price,
        blankToNull(record.get("currency")),
        distinct(split(record.get("tags"), TAG_SEPARATOR)),
        blankToNull(record.get("url")),
        images,
        attributes);
  }

  private static String parseId(JsonNode node) throws InvalidProductException {
    if (node == null || node.isNull()) {
      throw new InvalidProductException(FailureReason.MISSING_ID, null, "no id");
    }
    if (node.isTextual() || node.isIntegralNumber()) {
      String id = node.asText().strip();
      if (id.isEmpty()) {
        throw new InvalidProductException(FailureReason.MISSING_ID, null, "id is blank");
      }
      return checkId(id);
    }
    throw new InvalidProductException(
        FailureReason.MISSING_ID, null, "id must be a string or an integer, got " + kind(node));
  }

  private static String checkId(String id) throws InvalidProductException {
    String stripped = id.strip();
    if (stripped.length() > MAX_ID_LENGTH) {
      throw new InvalidProductException(
          FailureReason.INVALID_FIELD,
          null,
          "id is " + stripped.length() + " characters long, the limit is " + MAX_ID_LENGTH);
    }
    return stripped;
  }

  private static String text(ObjectNode node, String field, String id)
      throws InvalidProductException {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      return null;
    }
    if (value.isValueNode()) {
      return blankToNull(value.asText());
    }
    throw new InvalidProductException(
        FailureReason.INVALID_FIELD, id, field + " must be text, got " + kind(value));
  }

  private static String category(JsonNode value, String id) throws InvalidProductException {
    if (value == null || value.isNull()) {
      return null;
    }
    if (value.isArray()) {
      List<String> levels = new ArrayList<>();
      for (JsonNode level : value) {
        if (!level.isValueNode() || level.isNull()) {
          throw new InvalidProductException(
              FailureReason.INVALID_FIELD, id, "category levels must be text, got " + kind(level));
        }
        levels.add(level.asText().strip());
      }
      return blankToNull(String.join(" " + Product.CATEGORY_SEPARATOR + " ", levels));
    }
    if (value.isValueNode()) {
      return blankToNull(value.asText());
    }
    throw new InvalidProductException(
        FailureReason.INVALID_FIELD,
        id,
        "category must be a path or an array of levels, got " + kind(value));
  }

  private static BigDecimal price(JsonNode value, String id) throws InvalidProductException {
    if (value == null || value.isNull()) {
      return null;
    }
    if (value.isNumber()) {
      return checkPrice(value.decimalValue(), value.asText(), id);
    }
    if (value.isTextual()) {
      return parsePrice(blankToNull(value.asText()), id);
    }
    throw new InvalidProductException(
        FailureReason.INVALID_FIELD, id, "price must be a number, got " + kind(value));
  }

  private static BigDecimal parsePrice(String text, String id) throws InvalidProductException {
    if (text == null) {
      return null;
    }
    BigDecimal price;
    try {
      price = new BigDecimal(text.strip());
    } catch (NumberFormatException e) {
      throw new InvalidProductException(
          FailureReason.INVALID_FIELD, id, "price is not a number: \"" + abbreviate(text) + "\"");
    }
    return checkPrice(price, text, id);
  }

  private static BigDecimal checkPrice(BigDecimal price, String text, String id)
      throws InvalidProductException {
    if (price.signum() < 0) {
      throw new InvalidProductException(
          FailureReason.INVALID_FIELD, id, "price is negative: " + abbreviate(text));
    }
    if (Double.isInfinite(price.doubleValue())) {
      throw new InvalidProductException(
          FailureReason.INVALID_FIELD, id, "price is out of range: " + abbreviate(text));
    }
    return price;
  }

  private static List<String> jsonList(JsonNode value, String field, String id, Pattern separator)
      throws InvalidProductException {
    if (value == null || value.isNull()) {
      return List.of();
    }
    if (value.isArray()) {
      List<String> items = new ArrayList<>();
      for (JsonNode item : value) {
        if (!item.isTextual()) {
          throw new InvalidProductException(
              FailureReason.INVALID_FIELD,
              id,
              field
                  + " must hold strings, found "
                  + kind(item)
                  + ": "
                  + abbreviate(item.toString()));
        }
        String stripped = item.asText().strip();
        if (!stripped.isEmpty()) {
          items.add(stripped);
        }
      }
      return items;
    }
    if (value.isTextual()) {
      return separator == null ? split(value.asText(), null) : split(value.asText(), separator);
    }
    throw new InvalidProductException(
        FailureReason.INVALID_FIELD,
        id,
        field + " must be a string or an array of strings, got " + kind(value));
  }

  private static List<String> split(String cell, Pattern separator) {
    if (cell == null || cell.isBlank()) {
      return List.of();
    }
    if (separator == null) {
      return List.of(cell.strip());
    }
    List<String> items = new ArrayList<>();
    for (String item : separator.split(cell)) {
      String stripped = item.strip();
      if (!stripped.isEmpty()) {
        items.add(stripped);
      }
    }
    return items;
  }

  private static List<String> distinct(List<String> items) {
    return List.copyOf(new LinkedHashSet<>(items));
  }

  private static String blankToNull(String s) {
    if (s == null) {
      return null;
    }
    String stripped = s.strip();
    return stripped.isEmpty() ? null : stripped;
  }

  private static String kind(JsonNode node) {
    return node.getNodeType().name().toLowerCase(Locale.ROOT);
  }

  static String abbreviate(String s) {
    return s.length() <= 80 ? s : s.substring(0, 77) + "...";
  }
}
