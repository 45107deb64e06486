package dev.clipsearch.indexer.solr;

import com.fasterxml.jackson.databind.JsonNode;
import dev.clipsearch.indexer.index.IndexSchema;
import dev.clipsearch.indexer.store.CatalogStore;
import dev.clipsearch.indexer.store.IndexedProduct;
import dev.clipsearch.indexer.store.StoreSnapshot;
import dev.clipsearch.models.ModelSpec;
import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A SolrCloud collection as a {@link CatalogStore}: what {@code clipsearch index --solr} writes to.
 * Each product is one nested block (see {@link SolrConfigSet}), replaced or deleted as a whole.
 *
 * <p><b>Writes go in batches.</b> {@link #upsert} queues the product's block and sends the queue as
 * one update request every {@value #BATCH} products; {@link #snapshot}, {@link #delete}, {@link
 * #deleteUnchecked}, {@link #commit}, {@link #rollback} and {@link #close} send what is queued
 * first. An update Solr refuses fails the call that sent it.
 *
 * <p><b>Commits differ from the embedded index.</b> Solr has no rollback in SolrCloud mode, and
 * every update it acknowledges is already in the update log of each replica of its shard: a sent
 * write is durable, and becomes visible to searches at the next soft commit (within 60 s by the
 * collection's config, or at {@link #snapshot} and {@link #commit}). So {@link #commit} only makes
 * the writes visible at once, flushes them to the index files and records the run state; {@link
 * #rollback} and {@link #close} drop nothing (they send the queue like every other call). A run
 * killed mid-way ({@code kill -9}) leaves the products it sent, and a rerun converges to exactly
 * the catalog: it skips the products whose sync key is unchanged, rewrites the others and, with
 * {@code --prune}, deletes those no longer in the catalog.
 *
 * <p>Thread-safe: {@link #upsert} and {@link #delete} may be called from several threads. The store
 * does not own the {@link SolrCloudClient}: close the client after the store.
 */
public final class SolrCatalogStore implements CatalogStore {

  private final SolrCloudClient client;
  private final String collection;
  private final SolrStoreMetadata metadata;
  private final SolrDocuments documents;
  private final boolean created;
  private final Clock clock;
  private final List<Map<String, Object>> queued = new ArrayList<>();
  private volatile boolean closed;

  /** Products per update request. */
  static final int BATCH = 64;

  private SolrCatalogStore(
      SolrCloudClient client,
      String collection,
      SolrStoreMetadata metadata,
      boolean created,
      Clock clock) {
    this.client = client;
    this.collection = collection;
    this.metadata = metadata;
    this.documents = new SolrDocuments(metadata.vectorField(), metadata.dimension());
    this.created = created;
    this.clock = clock;
  }

  /**
   * Opens the collection of {@code spec} for writing, creating it when it does not exist (with the
   * spec's shards, replicas and HNSW parameters, and a config set recording the model). An existing
   * collection keeps its own layout.
   *
   * @param model the model whose vectors will be written; {@code spec.model()} must be its identity
   * @throws SolrModelMismatchException when the collection holds another model's vectors, or was
   *     not made by clipsearch (the message names both models)
   * @throws SolrUnavailableException when no node of the client answers
   * @throws IllegalArgumentException when {@code spec} was made for another model than {@code
   *     model}
   */
  public static SolrCatalogStore open(
      SolrCloudClient client, SolrCollectionSpec spec, ModelSpec model) throws IOException {
    SolrModelIdentity identity = SolrModelIdentity.of(model);
    if (!identity.equals(spec.model())) {
      throw new IllegalArgumentException(
          "collection spec '"
              + spec.name()
              + "' is for model "
              + spec.model().describe()
              + ", not for "
              + identity.describe());
    }
    boolean created = client.ensureCollection(spec);
    return new SolrCatalogStore(
        client, spec.name(), new SolrStoreMetadata(identity), created, Clock.systemUTC());
  }

  /**
   * Opens an existing collection for writing whatever model built it (for {@code delete}, which
   * writes no vectors); never creates one.
   *
   * @throws SolrException with status 404 when there is no such collection
   * @throws SolrModelMismatchException when the collection was not made by clipsearch
   * @throws SolrUnavailableException when no node of the client answers
   */
  public static SolrCatalogStore openExisting(SolrCloudClient client, String collection)
      throws IOException {
    SolrModelIdentity identity = SolrSearchStore.existingModel(client, collection);
    return new SolrCatalogStore(
        client, collection, new SolrStoreMetadata(identity), false, Clock.systemUTC());
  }

  /** The collection name. */
  public String collection() {
    return collection;
  }

  @Override
  public String location() {
    return location(client, collection);
  }

  static String location(SolrCloudClient client, String collection) {
    return "Solr collection '" + collection + "' at " + client.nodes();
  }

  @Override
  public SolrStoreMetadata metadata() {
    return metadata;
  }

  @Override
  public boolean created() {
    return created;
  }

  /**
   * A view for lookups that shows every write acknowledged so far, this store's and any other
   * writer's (it soft-commits first). It is not a point in time: later writes show up in it too,
   * which the pipeline does not mind (see {@link StoreSnapshot}).
   */
  @Override
  public StoreSnapshot snapshot() throws IOException {
    requireOpen();
    send();
    client.softCommit(collection);
    return new SolrSnapshot(client, collection);
  }

  /**
   * Queues the product's block, sending the queue when it is full (see the class comment).
   *
   * @throws IllegalArgumentException when a vector has the wrong dimension or is not unit length
   *     (nothing is queued)
   */
  @Override
  public void upsert(IndexedProduct product) throws IOException {
    requireOpen();
    Map<String, Object> document = documents.document(product, clock.millis());
    List<Map<String, Object>> full = null;
    synchronized (queued) {
      queued.add(document);
      if (queued.size() >= BATCH) {
        full = List.copyOf(queued);
        queued.clear();
      }
    }
    if (full != null) {
      client.add(collection, full);
    }
  }

  /** Sends the queued blocks as one update request. */
  private void send() throws SolrException {
    List<Map<String, Object>> batch;
    synchronized (queued) {
      if (queued.isEmpty()) {
        return;
      }
      batch = List.copyOf(queued);
      queued.clear();
    }
    client.add(collection, batch);
  }

  @Override
  public List<String> delete(Collection<String> ids) throws IOException {
    requireOpen();
    if (ids.isEmpty()) {
      return List.of();
    }
    send();
    client.softCommit(collection);
    List<String> present = present(client, collection, ids);
    client.deleteProducts(collection, present);
    return present;
  }

  /** Which of {@code ids} are stored products, in the order given. */
  static List<String> present(SolrCloudClient client, String collection, Collection<String> ids)
      throws SolrException {
    Set<String> wanted = new LinkedHashSet<>(ids);
    Set<String> found = new HashSet<>();
    List<String> all = new ArrayList<>(wanted);
    for (int from = 0; from < all.size(); from += 500) {
      List<String> chunk = all.subList(from, Math.min(all.size(), from + 500));
      JsonNode answer =
          client.select(
              collection,
              List.of(
                  Map.entry("q", SolrQueries.productIds(chunk)),
                  Map.entry("fq", SolrQueries.PRODUCTS),
                  Map.entry("fl", IndexSchema.ID),
                  Map.entry("rows", Integer.toString(chunk.size()))));
      answer.path("response").path("docs").forEach(d -> found.add(d.path(IndexSchema.ID).asText()));
    }
    return all.stream().filter(found::contains).toList();
  }

  @Override
  public void deleteUnchecked(String id) throws IOException {
    requireOpen();
    send();
    client.deleteProducts(collection, List.of(id));
  }

  /**
   * Makes every write visible and flushes it to the index files (a hard commit), recording {@code
   * runState} and the time in the collection's run document.
   */
  @Override
  public void commit(String runState) throws IOException {
    requireOpen();
    send();
    client.add(
        collection, List.of(SolrDocuments.runDocument(runState, clock.instant().toString())));
    client.commit(collection);
  }

  /**
   * Sends the queue and closes the store. Writes since the last commit are <b>not</b> dropped: Solr
   * cannot drop them (see the class comment); a rerun converges instead.
   */
  @Override
  public void rollback() throws IOException {
    close();
  }

  /** Sends the queue and closes the store; nothing written is dropped (see the class comment). */
  @Override
  public void close() throws IOException {
    if (!closed) {
      closed = true;
      send();
    }
  }

  private void requireOpen() {
    if (closed) {
      throw new IllegalStateException(location() + ": the store is closed");
    }
  }
}
