package dev.clipsearch.indexer.catalog;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * The canonical JSON form of a product: fixed field order, absent fields omitted, attribute maps
 * sorted by key, prices as written. The index stores exactly this string for display, and the
 * incremental content hash is computed over it, so two catalogs that differ only in field order or
 * whitespace produce the same hash.
 *
 * <p>Shape: {@code {"id", "title", "description", "brand", "category", "price", "currency", "tags",
 * "url", "images", "attributes"}}, where {@code category} is normalized to {@code "A > B > C"}.
 */
public final class ProductJson {

  private static final ObjectMapper MAPPER =
      JsonMapper.builder().enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS).build();

  private ProductJson() {}

  /** The canonical JSON text of a product. */
  public static String canonical(Product product) {
    ObjectNode node = MAPPER.createObjectNode();
    node.put("id", product.id());
    putIfPresent(node, "title", product.title());
    putIfPresent(node, "description", product.description());
    putIfPresent(node, "brand", product.brand());
    putIfPresent(node, "category", product.normalizedCategory());
    if (product.price() != null) {
      node.put("price", product.price());
    }
    putIfPresent(node, "currency", product.currency());
    putList(node, "tags", product.tags());
    putIfPresent(node, "url", product.url());
    putList(node, "images", product.images());
    if (!product.attributes().isEmpty()) {
      node.set("attributes", MAPPER.valueToTree(product.attributes()));
    }
    try {
      return MAPPER.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
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
