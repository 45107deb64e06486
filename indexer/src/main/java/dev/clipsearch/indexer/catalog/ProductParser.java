package dev.clipsearch.indexer.catalog;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.clipsearch.common.catalog.Product;
import dev.clipsearch.common.catalog.ProductFormatException;
import dev.clipsearch.common.catalog.ProductJson;
import dev.clipsearch.indexer.report.FailureReason;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Turns one catalog entry (a JSON object or a CSV record) into a {@link Product}, with the same
 * rules for both formats: the field rules of {@link ProductJson} (a CSV record is read as a JSON
 * object of its non-blank cells, its {@code images} / {@code image} cells split at {@code |}, since
 * URLs may hold commas), plus the index's limits:
 *
 * <ul>
 *   <li>{@code id}: at most {@value #MAX_ID_LENGTH} characters;
 *   <li>{@code brand}, {@code category}, {@code currency}, each tag: at most {@value
 *       #MAX_KEYWORD_LENGTH} characters.
 * </ul>
 */
public final class ProductParser {

  /** Longest accepted id, in characters (ids become Lucene terms). */
  public static final int MAX_ID_LENGTH = 512;

  /**
   * Longest accepted brand, category path, currency or tag, in characters: they become Lucene terms
   * and facet labels, which have hard size limits.
   */
  public static final int MAX_KEYWORD_LENGTH = 1024;

  private static final Pattern CSV_IMAGE_SEPARATOR = Pattern.compile("\\|");

  public ProductParser() {}

  /**
   * A product from one JSON object. Parse the line with {@code USE_BIG_DECIMAL_FOR_FLOATS} so that
   * decimal attributes keep the digits written.
   */
  public Product fromJson(ObjectNode node) throws InvalidProductException {
    Product product;
    try {
      product = ProductJson.fromJson(node);
    } catch (ProductFormatException e) {
      throw new InvalidProductException(
          e.missingId() ? FailureReason.MISSING_ID : FailureReason.INVALID_FIELD,
          e.productId(),
          e.getMessage());
    }
    checkId(product.id());
    return checkKeywords(product);
  }

  /** A product from one CSV record, as header name to cell. */
  public Product fromCsv(Map<String, String> record) throws InvalidProductException {
    ObjectNode node = JsonNodeFactory.instance.objectNode();
    for (Map.Entry<String, String> cell : record.entrySet()) {
      String value = cell.getValue() == null ? "" : cell.getValue().strip();
      if (value.isEmpty()) {
        continue;
      }
      String name = cell.getKey();
      if (name.equals(ProductJson.IMAGES) || name.equals(ProductJson.IMAGE)) {
        ArrayNode images = node.putArray(name);
        for (String image : CSV_IMAGE_SEPARATOR.split(value)) {
          images.add(image);
        }
      } else {
        node.put(name, value);
      }
    }
    return fromJson(node);
  }

  private static void checkId(String id) throws InvalidProductException {
    if (id.length() > MAX_ID_LENGTH) {
      throw new InvalidProductException(
          FailureReason.INVALID_FIELD,
          null,
          "id is " + id.length() + " characters long, the limit is " + MAX_ID_LENGTH);
    }
  }

  private static Product checkKeywords(Product p) throws InvalidProductException {
    checkKeyword(p.id(), "brand", p.brand());
    checkKeyword(p.id(), "category", p.category());
    checkKeyword(p.id(), "currency", p.currency());
    for (String tag : p.tags()) {
      checkKeyword(p.id(), "tag", tag);
    }
    return p;
  }

  private static void checkKeyword(String id, String field, String value)
      throws InvalidProductException {
    if (value != null && value.length() > MAX_KEYWORD_LENGTH) {
      throw new InvalidProductException(
          FailureReason.INVALID_FIELD,
          id,
          field
              + " is "
              + value.length()
              + " characters long, the limit is "
              + MAX_KEYWORD_LENGTH
              + ": \""
              + ProductJson.abbreviate(value)
              + "\"");
    }
  }
}
