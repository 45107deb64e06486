package dev.clipsearch.common.catalog;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The one JSON form of a catalog product: {@link #canonical} writes it, {@link #read} and {@link
 * #fromJson} read it back (and read a catalog's JSON Lines entry, which follows the same rules).
 *
 * <p>The canonical form has a fixed field order, absent fields omitted, attribute maps sorted by
 * key, prices as written. The index stores exactly this string for display, and the incremental
 * content hash is computed over it, so two catalogs that differ only in field order or whitespace
 * produce the same hash. Its output must not change: stored hashes depend on it.
 *
 * <p>Shape: {@code {"id", "title", "description", "brand", "category", "price", "currency", "tags",
 * "url", "images", "attributes"}}, where {@code category} is normalized to {@code "A > B > C"}.
 *
 * <p>Reading accepts what catalogs write:
 *
 * <ul>
 *   <li>{@code id}: a non-blank string (a JSON integer is accepted);
 *   <li>{@code title}, {@code description}, {@code brand}, {@code currency}, {@code url}: text (a
 *       JSON number or boolean is taken as its text); blank means absent;
 *   <li>{@code category}: a path {@code A > B > C}, or a JSON array of levels;
 *   <li>{@code price}: a non-negative number, or a string holding one;
 *   <li>{@code tags}: a JSON array of strings, or a string separated by {@code |} or {@code ,};
 *       duplicates dropped;
 *   <li>{@code images} (alias {@code image}): a JSON array of strings or one string;
 *   <li>{@code attributes}: an object whose entries are attributes (the canonical form);
 *   <li>any other field is an attribute too.
 * </ul>
 */
public final class ProductJson {

  public static final String ID = "id";
  public static final String TITLE = "title";
  public static final String DESCRIPTION = "description";
  public static final String BRAND = "brand";
  public static final String CATEGORY = "category";
  public static final String PRICE = "price";
  public static final String CURRENCY = "currency";
  public static final String TAGS = "tags";
  public static final String URL = "url";
  public static final String IMAGES = "images";

  /** Accepted on reading as one more image (catalogs with a single image column). */
  public static final String IMAGE = "image";

  /** The object of free attributes in the canonical form. */
  public static final String ATTRIBUTES = "attributes";

  /** The fields with a meaning of their own; any other field of an entry is an attribute. */
  public static final Set<String> KNOWN_FIELDS =
      Set.of(ID, TITLE, DESCRIPTION, BRAND, CATEGORY, PRICE, CURRENCY, TAGS, URL, IMAGES, IMAGE);

  private static final ObjectMapper WRITER =
      JsonMapper.builder().enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS).build();

  /** Prices and decimal attributes stay exactly as written ({@code 9.50}, not {@code 9.5}). */
  private static final ObjectMapper READER =
      JsonMapper.builder()
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
          .build();

  private static final Pattern TAG_SEPARATOR = Pattern.compile("[|,]");

  private ProductJson() {}

  /** The canonical JSON text of a product. */
  public static String canonical(Product product) {
    ObjectNode node = WRITER.createObjectNode();
    node.put(ID, product.id());
    putIfPresent(node, TITLE, product.title());
    putIfPresent(node, DESCRIPTION, product.description());
    putIfPresent(node, BRAND, product.brand());
    putIfPresent(node, CATEGORY, product.normalizedCategory());
    if (product.price() != null) {
      node.put(PRICE, product.price());
    }
    putIfPresent(node, CURRENCY, product.currency());
    putList(node, TAGS, product.tags());
    putIfPresent(node, URL, product.url());
    putList(node, IMAGES, product.images());
    if (!product.attributes().isEmpty()) {
      node.set(ATTRIBUTES, WRITER.valueToTree(product.attributes()));
    }
    try {
      return WRITER.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The display fields of a product in canonical form: {@link #canonical} without the description,
   * tags, url, images and attributes. {@link #summary} reads it as it reads the whole product; the
   * index keeps it beside the product for result pages.
   */
  public static String summaryJson(Product product) {
    ObjectNode node = WRITER.createObjectNode();
    node.put(ID, product.id());
    putIfPresent(node, TITLE, product.title());
    putIfPresent(node, BRAND, product.brand());
    putIfPresent(node, CATEGORY, product.normalizedCategory());
    if (product.price() != null) {
      node.put(PRICE, product.price());
    }
    putIfPresent(node, CURRENCY, product.currency());
    try {
      return WRITER.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The product in {@code json}: a canonical form, or any JSON object that follows the reading
   * rules above.
   *
   * @throws ProductFormatException naming the field when the text is not a JSON object or a field
   *     is unusable
   */
  public static Product read(String json) {
    return fromJson(object(json));
  }

  private static ObjectNode object(String json) {
    JsonNode node;
    try {
      node = READER.readTree(json);
    } catch (JsonProcessingException e) {
      throw ProductFormatException.invalidField(null, "not valid JSON: " + e.getOriginalMessage());
    }
    if (node == null || !node.isObject()) {
      throw ProductFormatException.invalidField(
          null, "a product is a JSON object, got " + (node == null ? "nothing" : kind(node)));
    }
    return (ObjectNode) node;
  }

  /**
   * The display fields of a product written by {@link #canonical} or {@link #summaryJson}, by the
   * same reading rules as {@link #read} but without converting the rest of the record: cheap enough
   * for every search hit.
   *
   * @throws ProductFormatException naming the field when the text is not a product or a display
   *     field is unusable
   */
  public static ProductSummary summary(String json) {
    ObjectNode object = object(json);
    String id = id(object.get(ID));
    return new ProductSummary(
        id,
        text(object, TITLE, id),
        price(object.get(PRICE), id),
        text(object, CURRENCY, id),
        category(object.get(CATEGORY), id),
        text(object, BRAND, id));
  }

  /**
   * The product in one JSON object, by the reading rules above. Numbers in attributes keep the
   * precision the node holds (parse with {@code USE_BIG_DECIMAL_FOR_FLOATS} to keep {@code 9.50}).
   *
   * @throws ProductFormatException naming the field when one is unusable
   */
  public static Product fromJson(ObjectNode node) {
    String id = id(node.get(ID));
    String title = text(node, TITLE, id);
    String description = text(node, DESCRIPTION, id);
    String brand = text(node, BRAND, id);
    String category = category(node.get(CATEGORY), id);
    BigDecimal price = price(node.get(PRICE), id);
    String currency = text(node, CURRENCY, id);
    List<String> tags = list(node.get(TAGS), TAGS, id, TAG_SEPARATOR);
    String url = text(node, URL, id);
    List<String> images = new ArrayList<>(list(node.get(IMAGES), IMAGES, id, null));
    images.addAll(list(node.get(IMAGE), IMAGE, id, null));
    return new Product(
        id,
        title,
        description,
        brand,
        category,
        price,
        currency,
        List.copyOf(new LinkedHashSet<>(tags)),
        url,
        images,
        attributes(node, id));
  }

  private static Map<String, Object> attributes(ObjectNode node, String id) {
    Map<String, Object> attributes = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> field : node.properties()) {
      String name = field.getKey();
      JsonNode value = field.getValue();
      if (KNOWN_FIELDS.contains(name) || value.isNull()) {
        continue;
      }
      if (name.equals(ATTRIBUTES) && value.isObject()) {
        for (Map.Entry<String, JsonNode> nested : value.properties()) {
          if (!nested.getValue().isNull()) {
            putAttribute(attributes, nested.getKey(), nested.getValue(), id);
          }
        }
      } else {
        putAttribute(attributes, name, value, id);
      }
    }
    return attributes;
  }

  private static void putAttribute(
      Map<String, Object> attributes, String name, JsonNode value, String id) {
    if (attributes.put(name, READER.convertValue(value, Object.class)) != null) {
      throw ProductFormatException.invalidField(
          id, "attribute '" + name + "' is given both as a field and under " + ATTRIBUTES);
    }
  }

  private static String id(JsonNode node) {
    if (node == null || node.isNull()) {
      throw ProductFormatException.missingId("no id");
    }
    if (node.isTextual() || node.isIntegralNumber()) {
      String id = node.asText().strip();
      if (id.isEmpty()) {
        throw ProductFormatException.missingId("id is blank");
      }
      return id;
    }
    throw ProductFormatException.missingId("id must be a string or an integer, got " + kind(node));
  }

  private static String text(ObjectNode node, String field, String id) {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      return null;
    }
    if (value.isValueNode()) {
      return blankToNull(value.asText());
    }
    throw ProductFormatException.invalidField(id, field + " must be text, got " + kind(value));
  }

  private static String category(JsonNode value, String id) {
    if (value == null || value.isNull()) {
      return null;
    }
    if (value.isArray()) {
      List<String> levels = new ArrayList<>();
      for (JsonNode level : value) {
        if (!level.isValueNode() || level.isNull()) {
          throw ProductFormatException.invalidField(
              id, "category levels must be text, got " + kind(level));
        }
        levels.add(level.asText().strip());
      }
      return blankToNull(String.join(" " + Product.CATEGORY_SEPARATOR + " ", levels));
    }
    if (value.isValueNode()) {
      return blankToNull(value.asText());
    }
    throw ProductFormatException.invalidField(
        id, "category must be a path or an array of levels, got " + kind(value));
  }

  private static BigDecimal price(JsonNode value, String id) {
    if (value == null || value.isNull()) {
      return null;
    }
    if (value.isNumber()) {
      return checkPrice(value.decimalValue(), value.asText(), id);
    }
    if (value.isTextual()) {
      String text = blankToNull(value.asText());
      if (text == null) {
        return null;
      }
      BigDecimal price;
      try {
        price = new BigDecimal(text);
      } catch (NumberFormatException e) {
        throw ProductFormatException.invalidField(
            id, "price is not a number: \"" + abbreviate(text) + "\"");
      }
      return checkPrice(price, text, id);
    }
    throw ProductFormatException.invalidField(id, "price must be a number, got " + kind(value));
  }

  private static BigDecimal checkPrice(BigDecimal price, String text, String id) {
    if (price.signum() < 0) {
      throw ProductFormatException.invalidField(id, "price is negative: " + abbreviate(text));
    }
    if (Double.isInfinite(price.doubleValue())) {
      throw ProductFormatException.invalidField(id, "price is out of range: " + abbreviate(text));
    }
    return price;
  }

  private static List<String> list(JsonNode value, String field, String id, Pattern separator) {
    if (value == null || value.isNull()) {
      return List.of();
    }
    if (value.isArray()) {
      List<String> items = new ArrayList<>();
      for (JsonNode item : value) {
        if (!item.isTextual()) {
          throw ProductFormatException.invalidField(
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
      return split(value.asText(), separator);
    }
    throw ProductFormatException.invalidField(
        id, field + " must be a string or an array of strings, got " + kind(value));
  }

  /**
   * {@code cell} split at {@code separator} (or whole when null), items stripped, blanks dropped.
   */
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

  /** {@code s} cut to 80 characters for an error message. */
  public static String abbreviate(String s) {
    return s.length() <= 80 ? s : s.substring(0, 77) + "...";
  }

  private static void putIfPresent(ObjectNode node, String field, String value) {
    if (value != null) {
      node.put(field, value);
    }
  }

  private static void putList(ObjectNode node, String field, List<String> values) {
    if (!values.isEmpty()) {
      ArrayNode array = node.putArray(field);
      values.forEach(array::add);
    }
  }
}
