package dev.clipsearch.indexer.store;

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

  /**
   * Where the store is, for messages: {@code index /path/to/index}, a collection at a URL (the same
   * wording as {@link CatalogStore#location()}).
   */
  String location();

  /** The model identity recorded in the store: id, vector length, preprocessing. */
  StoreMetadata metadata();

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
