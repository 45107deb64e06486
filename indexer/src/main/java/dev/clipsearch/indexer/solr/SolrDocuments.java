package dev.clipsearch.indexer.solr;

import com.fasterxml.jackson.databind.JsonNode;
import dev.clipsearch.common.catalog.Product;
import dev.clipsearch.indexer.index.IndexSchema;
import dev.clipsearch.indexer.index.ProductDocuments;
import dev.clipsearch.indexer.store.IndexedImage;
import dev.clipsearch.indexer.store.IndexedProduct;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Solr documents of one product, the same fields as the embedded index's block ({@link
 * ProductDocuments}): a product document with its image documents nested under {@link
 * SolrConfigSet#IMAGES}. Also reads the stored image fields back. Stateless and thread-safe.
 */
final class SolrDocuments {

  /**
   * Between a product id and an image's position in an image document's id (Solr needs a unique key
   * on every document): a control character, so no catalog id can collide with an image id.
   */
  static final char IMAGE_ID_SEPARATOR = '\u001f';

  /** The id of the run document, which holds the last commit's run state. */
  static final String RUN_DOCUMENT_ID = IMAGE_ID_SEPARATOR + "clipsearch-run";

  static final String KIND_RUN = "run";
  static final String RUN_STATE = "run_state";
  static final String LAST_COMMIT = "last_commit";

  /**
   * The names of the product's zero-shot attributes ({@code color}, …): a terms facet on it lists
   * the attribute facets the collection holds, on any number of shards.
   */
  static final String ATTRIBUTE_NAMES = "attribute_names";

  /** The exact stored vector (float32, little-endian): the HNSW field itself is not stored. */
  static final String IMAGE_VECTOR = "image_vector";

  private final String vectorField;
  private final int dimension;

  SolrDocuments(String vectorField, int dimension) {
    this.vectorField = vectorField;
    this.dimension = dimension;
  }

  String vectorField() {
    return vectorField;
  }

  /** The id of a product's image document. */
  static String imageId(String productId, int index) {
    return productId + IMAGE_ID_SEPARATOR + index;
  }

  /**
   * The product document with its images as children.
   *
   * @throws IllegalArgumentException when a vector has the wrong dimension or is not unit length,
   *     or the id holds the image id separator
   */
  Map<String, Object> document(IndexedProduct indexed, long indexedAtMillis) {
    Product p = indexed.product();
    if (p.id().indexOf(IMAGE_ID_SEPARATOR) >= 0) {
      throw new IllegalArgumentException(
          "product id '" + p.id() + "' holds the control character U+001F, which Solr ids reserve");
    }
    List<Map<String, Object>> images = new ArrayList<>(indexed.images().size());
    for (IndexedImage image : indexed.images()) {
      ProductDocuments.checkVector(p.id(), image, dimension);
      images.add(imageDocument(p.id(), image));
    }
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put(IndexSchema.ID, p.id());
    doc.put(IndexSchema.KIND, IndexSchema.KIND_PRODUCT);
    putIfPresent(doc, IndexSchema.TITLE, p.title());
    putIfPresent(doc, IndexSchema.DESCRIPTION, p.description());
    if (p.brand() != null) {
      doc.put(IndexSchema.BRAND, p.brand());
      doc.put(IndexSchema.BRAND_TEXT, p.brand());
    }
    List<String> levels = p.categoryLevels();
    if (!levels.isEmpty()) {
      doc.put(IndexSchema.CATEGORY, p.normalizedCategory());
      doc.put(IndexSchema.CATEGORY_PATH, p.categoryAncestors());
      doc.put(IndexSchema.CATEGORY_TEXT, String.join(" ", levels));
    }
    if (p.price() != null) {
      doc.put(IndexSchema.PRICE, p.price().doubleValue());
    }
    putIfPresent(doc, IndexSchema.CURRENCY, p.currency());
    if (!p.tags().isEmpty()) {
      doc.put(IndexSchema.TAGS, p.tags());
    }
    Map<String, String> attributes = indexed.facetAttributes();
    if (!attributes.isEmpty()) {
      attributes.forEach((name, value) -> doc.put(IndexSchema.attributeField(name), value));
      doc.put(ATTRIBUTE_NAMES, List.copyOf(attributes.keySet()));
      doc.put(IndexSchema.ATTRIBUTES_JSON, ProductDocuments.attributesJson(attributes));
    }
    putIfPresent(doc, IndexSchema.URL, p.url());
    doc.put(IndexSchema.PRODUCT_JSON, indexed.json());
    doc.put(IndexSchema.CONTENT_HASH, indexed.contentHash());
    doc.put(IndexSchema.SYNC_KEY, HexFormat.of().formatHex(indexed.syncKey()));
    doc.put(IndexSchema.IMAGE_COUNT, indexed.images().size());
    int failed = indexed.imageErrors().size();
    doc.put(IndexSchema.FAILED_IMAGES, failed);
    if (failed > 0) {
      doc.put(IndexSchema.IMAGE_ERRORS, ProductDocuments.imageErrorsJson(indexed.imageErrors()));
    }
    doc.put(IndexSchema.INDEXED_AT, indexedAtMillis);
    doc.put(SolrConfigSet.IMAGES, images);
    return doc;
  }

  private Map<String, Object> imageDocument(String productId, IndexedImage image) {
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put(IndexSchema.ID, imageId(productId, image.index()));
    doc.put(IndexSchema.KIND, IndexSchema.KIND_IMAGE);
    doc.put(IndexSchema.IMAGE_INDEX, image.index());
    doc.put(IndexSchema.IMAGE_SOURCE, image.source());
    doc.put(IndexSchema.IMAGE_SHA256, image.sha256());
    doc.put(IndexSchema.IMAGE_FINGERPRINT, image.fingerprint());
    doc.put(IndexSchema.IMAGE_WIDTH, image.width());
    doc.put(IndexSchema.IMAGE_HEIGHT, image.height());
    if (image.thumbnail() != null) {
      doc.put(IndexSchema.THUMBNAIL, Base64.getEncoder().encodeToString(image.thumbnail()));
    }
    doc.put(vectorField, image.vector());
    doc.put(IMAGE_VECTOR, Base64.getEncoder().encodeToString(vectorBytes(image.vector())));
    return doc;
  }

  /** The run document a commit writes: its run state and time. */
  static Map<String, Object> runDocument(String runState, String when) {
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put(IndexSchema.ID, RUN_DOCUMENT_ID);
    doc.put(IndexSchema.KIND, KIND_RUN);
    doc.put(RUN_STATE, runState);
    doc.put(LAST_COMMIT, when);
    return doc;
  }

  private static void putIfPresent(Map<String, Object> doc, String field, String value) {
    if (value != null) {
      doc.put(field, value);
    }
  }

  static byte[] vectorBytes(float[] vector) {
    ByteBuffer buffer = ByteBuffer.allocate(vector.length * Float.BYTES);
    buffer.order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().put(vector);
    return buffer.array();
  }

  /** The exact vector stored in an image document. */
  static float[] vector(JsonNode image) {
    byte[] bytes = binary(image, IMAGE_VECTOR);
    if (bytes == null) {
      throw new IllegalStateException(
          "image document " + image.path(IndexSchema.ID).asText() + " has no stored vector");
    }
    float[] vector = new float[bytes.length / Float.BYTES];
    ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(vector);
    return vector;
  }

  /** A binary stored field (Solr answers base64), or null when the document has none. */
  static byte[] binary(JsonNode doc, String field) {
    JsonNode value = doc.get(field);
    if (value == null || value.isNull()) {
      return null;
    }
    return Base64.getDecoder().decode(value.asText());
  }

  /** A product's image documents (its {@code [child]} list), in catalog order. */
  static List<JsonNode> images(JsonNode product) {
    List<JsonNode> images = new ArrayList<>();
    JsonNode children = product.path(SolrConfigSet.IMAGES);
    if (children.isObject()) {
      images.add(children); // a single child may come back as an object
    } else {
      children.forEach(images::add);
    }
    images.sort(
        (a, b) ->
            Integer.compare(
                a.path(IndexSchema.IMAGE_INDEX).asInt(), b.path(IndexSchema.IMAGE_INDEX).asInt()));
    return images;
  }
}
