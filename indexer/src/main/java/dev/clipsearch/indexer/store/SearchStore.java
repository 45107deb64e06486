package dev.clipsearch.indexer.store;

import dev.clipsearch.models.ModelSpec;
import java.io.Closeable;
import java.io.IOException;

/**
 * Where the search side reads products from: the seam between the server (ranking, fusion,
 * classification, the HTTP API) and a storage engine. The embedded Lucene index ({@code
 * dev.clipsearch.indexer.index.search.LuceneSearchStore}) is one implementation; a distributed
 * engine can be another, and {@code SearchStoreContractTest} pins down what every implementation
 * must do.
 *
 * <p>Thread-safe: any number of requests may each hold a {@link #view()} at once. Admin writes made
 * through {@link #upsert} and {@link #delete} are visible to views opened after the call returns.
 */
public interface SearchStore extends Closeable {

  /** What the store is, for messages: {@code index /path/to/index}, a collection's URL. */
  String name();

  /** The id of the model whose vectors the store holds. */
  String modelId();

  /** The length of the stored vectors. */
  int dimension();

  /** The store's model in one line (id, dimension, preprocessing), for messages and logs. */
  String describeModel();

  /** Whether vectors of {@code model} can be searched here (same id, dimension, preprocessing). */
  boolean isCompatibleWith(ModelSpec model);

  /** A point-in-time view for one request; close it when the request ends. */
  StoreView view();

  /** Products, images and bytes searches see now. */
  StoreSizes sizes();

  /** Whether queries can be answered now. */
  boolean ready();

  /** Whether {@link #upsert} and {@link #delete} are possible (the store was opened for writes). */
  boolean writable();

  /**
   * Adds a product or replaces every stored part of its previous version; durable and visible to
   * searches when it returns.
   *
   * @throws IllegalStateException when the store was opened read-only (the message says so)
   */
  void upsert(IndexedProduct product) throws IOException;

  /**
   * Deletes a product; durable and visible to searches when it returns.
   *
   * @return false when there was no product with this id
   * @throws IllegalStateException when the store was opened read-only (the message says so)
   */
  boolean delete(String id) throws IOException;
}
