package dev.clipsearch.indexer.solr;

import com.fasterxml.jackson.databind.JsonNode;
import dev.clipsearch.indexer.index.IndexSchema;
import dev.clipsearch.indexer.index.ProductDocuments;
import dev.clipsearch.indexer.report.ImageFailure;
import dev.clipsearch.indexer.store.IndexedImage;
import dev.clipsearch.indexer.store.StoreSnapshot;
import dev.clipsearch.indexer.store.StoredProduct;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Lookups by product id in a collection, for the incremental planner and the prune walk: each
 * {@link #find} is one request for the fields the planner compares first (sync key, failed images,
 * content hash) and the small stored attributes and image errors; the JSON and the images (exact
 * vectors, thumbnails) are fetched only when asked. Shows what the collection's searchers show (see
 * {@link SolrCatalogStore#snapshot()}). Thread-safe.
 */
final class SolrSnapshot implements StoreSnapshot {

  /** Image fields of a stored product: everything an {@link IndexedImage} holds. */
  static final String IMAGE_FIELDS =
      String.join(
          ",",
          IndexSchema.IMAGE_INDEX,
          IndexSchema.IMAGE_SOURCE,
          IndexSchema.IMAGE_FINGERPRINT,
          IndexSchema.IMAGE_SHA256,
          SolrDocuments.IMAGE_VECTOR,
          IndexSchema.IMAGE_WIDTH,
          IndexSchema.IMAGE_HEIGHT,
          IndexSchema.THUMBNAIL);

  private static final int PAGE = 1000;

  private final SolrCloudClient client;
  private final String collection;

  SolrSnapshot(SolrCloudClient client, String collection) {
    this.client = client;
    this.collection = collection;
  }

  @Override
  public StoredProduct find(String id) throws IOException {
    JsonNode doc =
        one(
            id,
            String.join(
                ",",
                IndexSchema.ID,
                IndexSchema.SYNC_KEY,
                IndexSchema.FAILED_IMAGES,
                IndexSchema.CONTENT_HASH,
                IndexSchema.ATTRIBUTES_JSON,
                IndexSchema.IMAGE_ERRORS));
    return doc == null ? null : new Stored(doc);
  }

  /** The product document of {@code id} with fields {@code fl}, or null. */
  private JsonNode one(String id, String fl) throws SolrException {
    return SolrQueries.product(client, collection, id, fl);
  }

  /** Walks every product id in id order, a page at a time (Solr's cursorMark paging). */
  @Override
  public void forEachProductId(Predicate<String> action) throws IOException {
    String cursor = "*";
    while (true) {
      JsonNode answer =
          client.select(
              collection,
              List.of(
                  Map.entry("q", SolrQueries.PRODUCTS),
                  Map.entry("fl", IndexSchema.ID),
                  Map.entry("sort", IndexSchema.ID + " asc"),
                  Map.entry("rows", Integer.toString(PAGE)),
                  Map.entry("cursorMark", cursor)));
      for (JsonNode doc : answer.path("response").path("docs")) {
        if (!action.test(doc.path(IndexSchema.ID).asText())) {
          return;
        }
      }
      String next = answer.path("nextCursorMark").asText(cursor);
      if (next.equals(cursor)) {
        return;
      }
      cursor = next;
    }
  }

  @Override
  public void close() {}

  /**
   * The {@code fl} entries that return every image document of a product with these fields, under
   * {@link SolrConfigSet#IMAGES}. Solr 9 shows a child only the fields the top-level {@code fl}
   * names, so they are listed there (product documents have none of them).
   */
  static String children(String fields) {
    return SolrConfigSet.IMAGES + "," + fields + ",[child limit=-1]";
  }

  /** A found product; the JSON and images are fetched on first use. */
  private final class Stored implements StoredProduct {
    private final String id;
    private final byte[] syncKey;
    private final int failedImages;
    private final String contentHash;
    private final String attributesJson;
    private final String imageErrorsJson;
    private JsonNode full;

    Stored(JsonNode doc) {
      this.id = doc.path(IndexSchema.ID).asText();
      this.syncKey = HexFormat.of().parseHex(doc.path(IndexSchema.SYNC_KEY).asText(""));
      this.failedImages = doc.path(IndexSchema.FAILED_IMAGES).asInt(0);
      this.contentHash = doc.path(IndexSchema.CONTENT_HASH).asText();
      this.attributesJson = doc.path(IndexSchema.ATTRIBUTES_JSON).asText(null);
      this.imageErrorsJson = doc.path(IndexSchema.IMAGE_ERRORS).asText(null);
    }

    @Override
    public String id() {
      return id;
    }

    @Override
    public byte[] syncKey() {
      return syncKey.clone();
    }

    @Override
    public int failedImages() {
      return failedImages;
    }

    @Override
    public String json() throws IOException {
      return full().path(IndexSchema.PRODUCT_JSON).asText();
    }

    @Override
    public String contentHash() {
      return contentHash;
    }

    @Override
    public List<IndexedImage> images() throws IOException {
      List<IndexedImage> images = new ArrayList<>();
      for (JsonNode image : SolrDocuments.images(full())) {
        images.add(
            new IndexedImage(
                image.path(IndexSchema.IMAGE_INDEX).asInt(),
                image.path(IndexSchema.IMAGE_SOURCE).asText(),
                image.path(IndexSchema.IMAGE_FINGERPRINT).asText(),
                image.path(IndexSchema.IMAGE_SHA256).asText(),
                SolrDocuments.vector(image),
                image.path(IndexSchema.IMAGE_WIDTH).asInt(),
                image.path(IndexSchema.IMAGE_HEIGHT).asInt(),
                SolrDocuments.binary(image, IndexSchema.THUMBNAIL)));
      }
      return images;
    }

    @Override
    public Map<String, String> facetAttributes() throws IOException {
      return ProductDocuments.attributesFromJson(attributesJson);
    }

    @Override
    public List<ImageFailure> imageErrors() throws IOException {
      return ProductDocuments.imageErrorsFromJson(id, imageErrorsJson);
    }

    private synchronized JsonNode full() throws IOException {
      if (full == null) {
        JsonNode doc =
            one(id, IndexSchema.ID + "," + IndexSchema.PRODUCT_JSON + "," + children(IMAGE_FIELDS));
        if (doc == null) {
          throw new IOException(
              SolrCatalogStore.location(client, collection)
                  + ": product "
                  + id
                  + " was deleted while it was being read");
        }
        full = doc;
      }
      return full;
    }
  }
}
