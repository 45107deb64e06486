package dev.clipsearch.indexer.solr;

import dev.clipsearch.indexer.store.IndexedProduct;
import dev.clipsearch.indexer.store.SearchStore;
import dev.clipsearch.indexer.store.StoreSizes;
import dev.clipsearch.indexer.store.StoreView;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.List;

/**
 * A SolrCloud collection as a {@link SearchStore}: what {@code clipsearch serve --solr} searches.
 * Every request goes to Solr (any node; the client fails over), which searches the shards in
 * parallel; ranking, fusion and the HTTP API stay in clipsearch.
 *
 * <p>Views are not points in time (see {@link SolrStoreView}). Admin writes ({@link #upsert},
 * {@link #delete}) are committed (durable and visible) before they return. {@link #ready()} asks
 * Solr each time, so it turns false while no node answers and true again when one does.
 *
 * <p>Thread-safe. The store does not own the {@link SolrCloudClient}: close the client after it.
 */
public final class SolrSearchStore implements SearchStore {

  private final SolrCloudClient client;
  private final String collection;
  private final SolrStoreMetadata metadata;
  private final SolrDocuments documents;
  private final boolean writable;
  private final Clock clock = Clock.systemUTC();

  private SolrSearchStore(
      SolrCloudClient client, String collection, SolrStoreMetadata metadata, boolean writable) {
    this.client = client;
    this.collection = collection;
    this.metadata = metadata;
    this.documents = new SolrDocuments(metadata.vectorField(), metadata.dimension());
    this.writable = writable;
  }

  /**
   * Opens a collection made by {@code clipsearch index --solr} for searching; the model identity is
   * read from the collection (the caller checks it against its query encoder with {@code
   * metadata().checkModel}).
   *
   * @param writable whether admin upserts and deletes are allowed
   * @throws SolrUnavailableException when no node answers
   * @throws SolrException when the collection does not exist (status 404)
   * @throws SolrModelMismatchException when the collection was not made by clipsearch
   */
  public static SolrSearchStore open(SolrCloudClient client, String collection, boolean writable)
      throws IOException {
    SolrModelIdentity identity = existingModel(client, collection);
    return new SolrSearchStore(client, collection, new SolrStoreMetadata(identity), writable);
  }

  /** The model recorded in an existing collection; a missing one is an error naming it. */
  static SolrModelIdentity existingModel(SolrCloudClient client, String collection)
      throws SolrException {
    if (!client.collectionExists(collection)) {
      throw new SolrException(
          "there is no collection '"
              + collection
              + "' on Solr at "
              + client.nodes()
              + ": create it with clipsearch index --solr "
              + client.nodes()
              + " --collection "
              + collection,
          404);
    }
    return client.recordedModel(collection);
  }

  SolrCloudClient client() {
    return client;
  }

  String collection() {
    return collection;
  }

  @Override
  public String location() {
    return SolrCatalogStore.location(client, collection);
  }

  @Override
  public SolrStoreMetadata metadata() {
    return metadata;
  }

  @Override
  public StoreView view() {
    return new SolrStoreView(this);
  }

  /** Product and image counts; bytes is -1 (Solr's index sizes are per replica and node). */
  @Override
  public StoreSizes sizes() {
    try {
      long products = client.countProducts(collection);
      long images = client.countImages(collection);
      return new StoreSizes(products, images, indexBytes());
    } catch (SolrException e) {
      throw searchFailed(e);
    }
  }

  /**
   * The shard leaders' index sizes added up (one copy of the collection, without replicas), or -1
   * when Solr does not say (a leader down, COLSTATUS refused): the counts are still worth having.
   */
  private long indexBytes() throws SolrUnavailableException {
    try {
      return SolrCollectionStats.totalBytes(client.shardIndexes(collection));
    } catch (SolrUnavailableException e) {
      throw e;
    } catch (SolrException e) {
      return -1;
    }
  }

  /** Whether a node answers a search of the collection now; never throws. */
  @Override
  public boolean ready() {
    try {
      client.countProducts(collection);
      return true;
    } catch (SolrException | RuntimeException e) {
      return false;
    }
  }

  @Override
  public boolean writable() {
    return writable;
  }

  /** Writes the product's block and commits: durable and visible to searches on return. */
  @Override
  public void upsert(IndexedProduct product) throws IOException {
    requireWritable();
    client.add(collection, List.of(documents.document(product, clock.millis())));
    client.commit(collection);
  }

  /** Deletes the product's block and commits; false when it was not there. */
  @Override
  public boolean delete(String id) throws IOException {
    requireWritable();
    if (SolrCatalogStore.present(client, collection, List.of(id)).isEmpty()) {
      return false;
    }
    client.deleteProducts(collection, List.of(id));
    client.commit(collection);
    return true;
  }

  private void requireWritable() {
    if (!writable) {
      throw new IllegalStateException(location() + " is open read-only");
    }
  }

  /** What a read failure becomes in a view. */
  UncheckedIOException searchFailed(IOException e) {
    return new UncheckedIOException("search failed on " + location() + ": " + e.getMessage(), e);
  }

  /** Nothing to release: the client belongs to the caller. */
  @Override
  public void close() {}
}
