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
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A SolrCloud collection as a {@link CatalogStore}: what {@code clipsearch index --solr} writes to.
 * Each product is one nested block (see {@link SolrConfigSet}), replaced or deleted as a whole.
 *
 * <p><b>Commits differ from the embedded index.</b> Solr has no rollback in SolrCloud mode, and
 * every write it acknowledges is already in the update log of each replica of its shard: a write is
 * durable when {@link #upsert} or {@link #delete} returns, and becomes visible to searches at the
 * next soft commit (within 2 s by the collection's config, or at {@link #snapshot} and {@link
 * #commit}). So {@link #commit} only makes the writes visible at once, flushes them to the index
 * files and records the run state; {@link #rollback} and {@link #close} cannot drop anything. A run
 * killed mid-way ({@code kill -9}) leaves the products it wrote, and a rerun converges to exactly
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
  private volatile boolean closed;

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
    client.softCommit(collection);
    return new SolrSnapshot(client, collection);
  }

  /** Adds or replaces a product's block; durable when it returns (see the class comment). */
  @Override
  public void upsert(IndexedProduct product) throws IOException {
    requireOpen();
    client.add(collection, List.of(documents.document(product, clock.millis())));
  }

  @Override
  public List<String> delete(Collection<String> ids) throws IOException {
    requireOpen();
    if (ids.isEmpty()) {
      return List.of();
    }
    client.softCommit(collection);
    List<String> present = present(client, collection, ids);
    client.deleteProducts(collection, present);
    return present;
  }

  /** Which of {@code ids} are stored products, in the order given. */
  static List<String> present(SolrCloudClient client, String collection, Collection<String> ids)
      throws SolrException {
    Set<String> wanted = new LinkedHashSet<>(ids);
    Set<String> found = new java.util.HashSet<>();
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
    client.deleteProducts(collection, List.of(id));
  }

  /**
   * Makes every write visible and flushes it to the index files (a hard commit), recording {@code
   * runState} and the time in the collection's run document.
   */
  @Override
  public void commit(String runState) throws IOException {
    requireOpen();
    client.add(
        collection, List.of(SolrDocuments.runDocument(runState, clock.instant().toString())));
    client.commit(collection);
  }

  /**
   * Closes the store. Writes since the last commit are <b>not</b> dropped: Solr has none to drop
   * (see the class comment); a rerun converges instead.
   */
  @Override
  public void rollback() {
    closed = true;
  }

  /** Closes the store; acknowledged writes stay (see the class comment). */
  @Override
  public void close() {
    closed = true;
  }

  private void requireOpen() {
    if (closed) {
      throw new IllegalStateException(location() + ": the store is closed");
    }
  }
}
