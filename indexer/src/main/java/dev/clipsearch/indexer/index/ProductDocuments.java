package dev.clipsearch.indexer.index;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.clipsearch.common.catalog.Product;
import dev.clipsearch.common.catalog.ProductJson;
import dev.clipsearch.indexer.report.FailureReason;
import dev.clipsearch.indexer.report.ImageFailure;
import dev.clipsearch.indexer.store.IndexedImage;
import dev.clipsearch.indexer.store.IndexedProduct;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.lucene.document.BinaryDocValuesField;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.DoubleField;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.KeywordField;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.document.NumericDocValuesField;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.facet.FacetsConfig;
import org.apache.lucene.facet.sortedset.SortedSetDocValuesFacetField;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.util.BytesRef;

/**
 * Builds the Lucene block of one product: an image document per usable image, then the product
 * document (block join: the parent comes last). Thread-safe; blocks can be built on any thread.
 */
public final class ProductDocuments {

  /** How far a vector's norm may be from 1 (DOT_PRODUCT needs unit vectors). */
  static final float NORM_TOLERANCE = 1e-3f;

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final IndexMetadata metadata;
  private final FacetsConfig facets = IndexSchema.facetsConfig();

  public ProductDocuments(IndexMetadata metadata) {
    this.metadata = metadata;
  }

  /**
   * The block, children first, parent last.
   *
   * @param indexedAtMillis the time written into {@value IndexSchema#INDEXED_AT}
   * @throws IllegalArgumentException when a vector has the wrong dimension or is not unit length
   */
  public List<Document> block(IndexedProduct indexed, long indexedAtMillis) {
    Product product = indexed.product();
    List<Document> block = new ArrayList<>(indexed.images().size() + 1);
    for (IndexedImage image : indexed.images()) {
      block.add(imageDocument(product.id(), image));
    }
    block.add(productDocument(indexed, indexedAtMillis));
    return block;
  }

  private Document imageDocument(String productId, IndexedImage image) {
    checkVector(productId, image);
    Document doc = new Document();
    doc.add(new StringField(IndexSchema.KIND, IndexSchema.KIND_IMAGE, Field.Store.NO));
    doc.add(new KeywordField(IndexSchema.ID, productId, Field.Store.NO));
    doc.add(
        new KnnFloatVectorField(
            metadata.vectorField(), image.vector(), VectorSimilarityFunction.DOT_PRODUCT));
    doc.add(new StoredField(IndexSchema.IMAGE_INDEX, image.index()));
    doc.add(new NumericDocValuesField(IndexSchema.IMAGE_POSITION, image.index()));
    doc.add(new StoredField(IndexSchema.IMAGE_SOURCE, image.source()));
    doc.add(new StoredField(IndexSchema.IMAGE_SHA256, image.sha256()));
    doc.add(new StoredField(IndexSchema.IMAGE_FINGERPRINT, image.fingerprint()));
    doc.add(new StoredField(IndexSchema.IMAGE_WIDTH, image.width()));
    doc.add(new StoredField(IndexSchema.IMAGE_HEIGHT, image.height()));
    if (image.thumbnail() != null) {
      doc.add(new StoredField(IndexSchema.THUMBNAIL, new BytesRef(image.thumbnail())));
    }
    return doc;
  }

  private Document productDocument(IndexedProduct indexed, long indexedAtMillis) {
    Product p = indexed.product();
    Document doc = new Document();
    doc.add(new StringField(IndexSchema.KIND, IndexSchema.KIND_PRODUCT, Field.Store.NO));
    doc.add(new KeywordField(IndexSchema.ID, p.id(), Field.Store.YES));
    addText(doc, IndexSchema.TITLE, p.title());
    addText(doc, IndexSchema.DESCRIPTION, p.description());
    if (p.brand() != null) {
      doc.add(new KeywordField(IndexSchema.BRAND, p.brand(), Field.Store.NO));
      addText(doc, IndexSchema.BRAND_TEXT, p.brand());
      doc.add(new SortedSetDocValuesFacetField(IndexSchema.FACET_BRAND, p.brand()));
    }
    List<String> levels = p.categoryLevels();
    if (!levels.isEmpty()) {
      doc.add(new KeywordField(IndexSchema.CATEGORY, p.normalizedCategory(), Field.Store.NO));
      for (String ancestor : p.categoryAncestors()) {
        doc.add(new StringField(IndexSchema.CATEGORY_PATH, ancestor, Field.Store.NO));
      }
      addText(doc, IndexSchema.CATEGORY_TEXT, String.join(" ", levels));
      doc.add(
          new SortedSetDocValuesFacetField(
              IndexSchema.FACET_CATEGORY, levels.toArray(String[]::new)));
    }
    if (p.price() != null) {
      doc.add(new DoubleField(IndexSchema.PRICE, p.price().doubleValue(), Field.Store.NO));
    }
    if (p.currency() != null) {
      doc.add(new KeywordField(IndexSchema.CURRENCY, p.currency(), Field.Store.NO));
    }
    for (String tag : p.tags()) {
      doc.add(new KeywordField(IndexSchema.TAGS, tag, Field.Store.NO));
      doc.add(new SortedSetDocValuesFacetField(IndexSchema.FACET_TAGS, tag));
    }
    addAttributes(doc, indexed.facetAttributes());
    doc.add(new StoredField(IndexSchema.PRODUCT_JSON, indexed.json()));
    doc.add(
        new BinaryDocValuesField(
            IndexSchema.HIT_SUMMARY, new BytesRef(ProductJson.summaryJson(indexed.product()))));
    doc.add(new StoredField(IndexSchema.CONTENT_HASH, indexed.contentHash()));
    doc.add(new BinaryDocValuesField(IndexSchema.SYNC_KEY, new BytesRef(indexed.syncKey())));
    doc.add(new StoredField(IndexSchema.IMAGE_COUNT, indexed.images().size()));
    int failed = indexed.imageErrors().size();
    doc.add(new NumericDocValuesField(IndexSchema.FAILED_IMAGES, failed));
    if (failed > 0) {
      doc.add(new StoredField(IndexSchema.IMAGE_ERRORS, imageErrorsJson(indexed.imageErrors())));
    }
    doc.add(new StoredField(IndexSchema.INDEXED_AT, indexedAtMillis));
    try {
      return facets.build(doc);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void addAttributes(Document doc, Map<String, String> attributes) {
    if (attributes.isEmpty()) {
      return;
    }
    attributes.forEach(
        (name, value) -> {
          String field = IndexSchema.attributeField(name);
          doc.add(new KeywordField(field, value, Field.Store.NO));
          doc.add(new SortedSetDocValuesFacetField(field, value));
        });
    doc.add(new StoredField(IndexSchema.ATTRIBUTES_JSON, attributesJson(attributes)));
  }

  private static void addText(Document doc, String field, String value) {
    if (value != null) {
      doc.add(new TextField(field, value, Field.Store.NO));
    }
  }

  private void checkVector(String productId, IndexedImage image) {
    checkVector(productId, image, metadata.dimension());
  }

  /**
   * Refuses an image vector a store cannot hold: another dimension than the store's, or not of unit
   * length (DOT_PRODUCT needs unit vectors). Shared by every store's write path.
   *
   * @throws IllegalArgumentException naming the product and the image
   */
  public static void checkVector(String productId, IndexedImage image, int dimension) {
    float[] v = image.vector();
    if (v.length != dimension) {
      throw new IllegalArgumentException(
          "product "
              + productId
              + ", image "
              + image.source()
              + ": vector has "
              + v.length
              + " dimensions, the index has "
              + dimension);
    }
    double sum = 0;
    for (float x : v) {
      sum += x * x;
    }
    if (Math.abs(Math.sqrt(sum) - 1) > NORM_TOLERANCE) {
      throw new IllegalArgumentException(
          "product "
              + productId
              + ", image "
              + image.source()
              + ": vector norm is "
              + Math.sqrt(sum)
              + ", DOT_PRODUCT needs unit vectors");
    }
  }

  /**
   * The stored form of a product's zero-shot attributes ({@value IndexSchema#ATTRIBUTES_JSON}):
   * {@code {"color": "red"}}. Shared by every store's write path.
   */
  public static String attributesJson(Map<String, String> attributes) {
    ObjectNode json = MAPPER.createObjectNode();
    attributes.forEach(json::put);
    return json.toString();
  }

  /** The attributes of {@link #attributesJson}; empty for null (a product without attributes). */
  public static Map<String, String> attributesFromJson(String json) throws IOException {
    if (json == null) {
      return Map.of();
    }
    Map<String, String> out = new LinkedHashMap<>();
    MAPPER.readTree(json).properties().forEach(e -> out.put(e.getKey(), e.getValue().asText()));
    return out;
  }

  /**
   * The failed images of {@link #imageErrorsJson}; empty for null (none failed).
   *
   * @throws IOException when a failure has a reason this version does not know (naming the product)
   */
  public static List<ImageFailure> imageErrorsFromJson(String productId, String json)
      throws IOException {
    if (json == null) {
      return List.of();
    }
    List<ImageFailure> out = new ArrayList<>();
    for (JsonNode node : MAPPER.readTree(json)) {
      String code = node.path("reason").asText();
      FailureReason reason =
          Arrays.stream(FailureReason.values())
              .filter(r -> r.code().equals(code))
              .findFirst()
              .orElseThrow(
                  () ->
                      new IOException(
                          "product "
                              + productId
                              + " has a failed image with unknown reason '"
                              + code
                              + "'"));
      out.add(
          new ImageFailure(
              node.path("index").asInt(),
              node.path("source").asText(),
              reason,
              node.path("message").asText()));
    }
    return out;
  }

  /** The stored form of a product's failed images: {@code [{index, source, reason, message}]}. */
  public static String imageErrorsJson(List<ImageFailure> failures) {
    ArrayNode array = MAPPER.createArrayNode();
    for (ImageFailure f : failures) {
      ObjectNode node = array.addObject();
      node.put("index", f.index());
      node.put("source", f.source());
      node.put("reason", f.reason().code());
      node.put("message", f.message());
    }
    try {
      return MAPPER.writeValueAsString(array);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }
}
