package dev.clipsearch.indexer.solr;

import com.fasterxml.jackson.databind.JsonNode;
import dev.clipsearch.indexer.index.IndexSchema;
import dev.clipsearch.indexer.index.ProductDocuments;
import dev.clipsearch.indexer.report.ImageFailure;
import dev.clipsearch.indexer.store.IndexedImage;
import dev.clipsearch.indexer.store.StoreSnapshot;
import dev.clipsearch.indexer.store.StoredProduct;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * Lookups by product id in a collection, for the incremental planner and the prune walk: {@link
 * #find} reads the fields the planner compares first (sync key, failed images, content hash) and
 * the small stored attributes and image errors, batching the ids that several threads ask for at
 * once into one request; the JSON and the images (exact vectors, thumbnails) are fetched only when
 * asked. Shows what the collection's searchers show (see {@link SolrCatalogStore#snapshot()}).
 * Thread-safe.
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

  /** The fields of a product {@link #find} reads at once: what the planner compares first. */
  private static final String PLANNER_FIELDS =
      String.join(
          ",",
          IndexSchema.ID,
          IndexSchema.SYNC_KEY,
          IndexSchema.FAILED_IMAGES,
          IndexSchema.CONTENT_HASH,
          IndexSchema.ATTRIBUTES_JSON,
          IndexSchema.IMAGE_ERRORS);

  /** Most ids in one lookup request. */
  static final int MAX_BATCH = 256;

  /** One caller's lookup: its id, then its answer. Guarded by {@link #lock}. */
  private static final class Lookup {
    final String id;
    boolean done;
    JsonNode doc;
    SolrException failure;

    Lookup(String id) {
      this.id = id;
    }
  }

  private final Object lock = new Object();
  private final ArrayDeque<Lookup> waiting = new ArrayDeque<>();
  private boolean sending;
  private final AtomicLong requests = new AtomicLong();

  /**
   * The product, looked up together with the ids other threads ask for meanwhile: the fetch threads
   * of a run call this at once, and one request with a {@code {!terms}} query for all their ids
   * costs about what one request for one id costs. One request is in flight at a time; the ids
   * asked for while it is form the next one (up to {@value #MAX_BATCH}). A thread that finds no
   * request in flight sends its own at once, so a lone caller waits for nothing but its answer.
   */
  @Override
  public StoredProduct find(String id) throws IOException {
    Lookup mine = new Lookup(id);
    synchronized (lock) {
      waiting.add(mine);
    }
    while (true) {
      List<Lookup> batch = new ArrayList<>();
      synchronized (lock) {
        while (!mine.done && sending) {
          try {
            lock.wait();
          } catch (InterruptedException e) {
            waiting.remove(mine);
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while looking up product " + id);
          }
        }
        if (!mine.done) {
          sending = true;
          while (!waiting.isEmpty() && batch.size() < MAX_BATCH) {
            batch.add(waiting.poll());
          }
        }
      }
      if (batch.isEmpty()) {
        if (mine.failure != null) {
          throw new SolrException(mine.failure.getMessage(), mine.failure.status(), mine.failure);
        }
        return mine.doc == null ? null : new Stored(mine.doc);
      }
      send(batch);
    }
  }

  /** How many lookup requests {@link #find} has sent (for the lookup benchmark). */
  long requests() {
    return requests.get();
  }

  /** How many lookups wait for the request in flight to end (for tests). */
  int waitingLookups() {
    synchronized (lock) {
      return waiting.size();
    }
  }

  /** Looks the batch's ids up in one request, answers each lookup and lets the next batch go. */
  private void send(List<Lookup> batch) {
    Map<String, JsonNode> found = new HashMap<>();
    SolrException failure = null;
    try {
      Set<String> ids = new LinkedHashSet<>();
      for (Lookup lookup : batch) {
        // An id holding the separator cannot be stored (SolrDocuments refuses it): not found.
        if (lookup.id.indexOf(SolrDocuments.IMAGE_ID_SEPARATOR) < 0) {
          ids.add(lookup.id);
        }
      }
      if (!ids.isEmpty()) {
        requests.incrementAndGet();
        JsonNode docs =
            client
                .select(
                    collection,
                    List.of(
                        Map.entry("q", SolrQueries.productIds(ids)),
                        Map.entry("fq", SolrQueries.PRODUCTS),
                        Map.entry("fl", PLANNER_FIELDS),
                        Map.entry("rows", Integer.toString(ids.size()))))
                .path("response")
                .path("docs");
        docs.forEach(doc -> found.put(doc.path(IndexSchema.ID).asText(), doc));
      }
    } catch (SolrException e) {
      failure = e;
    } catch (RuntimeException e) {
      failure = new SolrException("looking up " + batch.size() + " products failed: " + e, 0, e);
    } finally {
      synchronized (lock) {
        for (Lookup lookup : batch) {
          lookup.doc = found.get(lookup.id);
          lookup.failure = failure;
          lookup.done = true;
        }
        sending = false;
        lock.notifyAll();
      }
    }
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
