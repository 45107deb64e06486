package dev.clipsearch.indexer.store;

import dev.clipsearch.common.catalog.Product;
import dev.clipsearch.indexer.report.ImageFailure;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Everything the index stores for one product: the catalog record, its usable images with vectors,
 * the images that failed, and the hashes incremental runs compare.
 *
 * @param product the catalog record
 * @param json its canonical JSON ({@code ProductJson.canonical})
 * @param syncKey SHA-256 over the JSON and each image's cheap fingerprint (32 bytes)
 * @param contentHash hex SHA-256 over the JSON and each usable image's bytes
 * @param images at least one usable image, in catalog order
 * @param imageErrors the images that could not be used
 * @param facetAttributes zero-shot attribute values ({@code color -> red}), stored as the facet and
 *     filter fields {@code attr.<name>}; names match {@value #ATTRIBUTE_NAME_PATTERN}, values are
 *     not blank; empty when the product is untagged. Not the catalog's free {@code attributes}.
 */
public record IndexedProduct(
    Product product,
    String json,
    byte[] syncKey,
    String contentHash,
    List<IndexedImage> images,
    List<ImageFailure> imageErrors,
    Map<String, String> facetAttributes) {

  /** What an attribute name may be: lowercase letters, digits and underscores. */
  public static final String ATTRIBUTE_NAME_PATTERN = "[a-z0-9_]+";

  /** The prefix of the facet and filter field of an attribute: {@code attr.color}. */
  public static final String ATTRIBUTE_FACET_PREFIX = "attr.";

  private static final Pattern ATTRIBUTE_NAME = Pattern.compile(ATTRIBUTE_NAME_PATTERN);

  /** A product without attributes. */
  public IndexedProduct(
      Product product,
      String json,
      byte[] syncKey,
      String contentHash,
      List<IndexedImage> images,
      List<ImageFailure> imageErrors) {
    this(product, json, syncKey, contentHash, images, imageErrors, Map.of());
  }

  public IndexedProduct {
    Objects.requireNonNull(product, "product");
    Objects.requireNonNull(json, "json");
    Objects.requireNonNull(syncKey, "syncKey");
    Objects.requireNonNull(contentHash, "contentHash");
    images = List.copyOf(images);
    imageErrors = List.copyOf(imageErrors);
    facetAttributes = checkedAttributes(product.id(), facetAttributes);
    if (images.isEmpty()) {
      throw new IllegalArgumentException("product " + product.id() + " has no usable image");
    }
  }

  /** This product with these attributes instead of its own. */
  public IndexedProduct withFacetAttributes(Map<String, String> attributes) {
    return new IndexedProduct(product, json, syncKey, contentHash, images, imageErrors, attributes);
  }

  /** Whether {@code name} can name an attribute ({@value #ATTRIBUTE_NAME_PATTERN}). */
  public static boolean isAttributeName(String name) {
    return name != null && ATTRIBUTE_NAME.matcher(name).matches();
  }

  private static Map<String, String> checkedAttributes(String id, Map<String, String> attributes) {
    if (attributes == null || attributes.isEmpty()) {
      return Map.of();
    }
    for (Map.Entry<String, String> e : attributes.entrySet()) {
      if (!isAttributeName(e.getKey())) {
        throw new IllegalArgumentException(
            "product "
                + id
                + ": attribute name '"
                + e.getKey()
                + "' must match "
                + ATTRIBUTE_NAME_PATTERN);
      }
      if (e.getValue() == null || e.getValue().isBlank()) {
        throw new IllegalArgumentException(
            "product " + id + ": attribute '" + e.getKey() + "' has a blank value");
      }
    }
    return Collections.unmodifiableMap(new TreeMap<>(attributes));
  }
}
