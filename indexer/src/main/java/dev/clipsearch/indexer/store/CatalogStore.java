package dev.clipsearch.indexer.store;

import java.io.Closeable;
import java.io.IOException;
import java.util.Collection;
import java.util.List;

/**
 * Where the indexing pipeline writes a catalog: every lookup and write of a bulk run goes through
 * this interface, so the pipeline does not know which engine holds the products. The embedded
 * Lucene index ({@code indexer.index.CatalogIndex}) is one implementation; {@code
 * CatalogStoreContractTest} is the behaviour every implementation must show.
 *
 * <p>Writes become durable only at {@link #commit}; after a crash the store holds its last commit.
 * {@link #upsert} and {@link #delete} may be called from several threads.
 */
public interface CatalogStore extends Closeable {

  /** Where the store is (a directory, a collection URL…), for messages. */
  String location();

  /** The model identity recorded in the store. */
  StoreMetadata metadata();

  /** Whether this open created the store. */
  boolean created();

  /**
   * A view for lookups showing at least everything committed so far (see {@link StoreSnapshot}).
   * Close it after use.
   */
  StoreSnapshot snapshot() throws IOException;

  /**
   * Adds a product or replaces its previous version with every one of its images, atomically: no
   * reader sees a mix of the old and new images.
   *
   * @throws IllegalArgumentException when the product cannot be stored as it is (a vector of the
   *     wrong dimension, or not of unit length); the message names the product
   */
  void upsert(IndexedProduct product) throws IOException;

  /** Deletes products with their images; returns the ids that were present. */
  List<String> delete(Collection<String> ids) throws IOException;

  /**
   * Deletes one product without checking that it exists: the prune pass, which found the id in a
   * snapshot already.
   */
  void deleteUnchecked(String id) throws IOException;

  /**
   * Makes everything written so far durable, with the model identity and {@code runState} (shown by
   * {@code stats}: "running", "complete", "stopped"…).
   */
  void commit(String runState) throws IOException;

  /**
   * Waits for the work the store does in the background on what was written (the embedded index's
   * segment merges, which join HNSW graphs), so that the next {@link #commit} keeps its result
   * rather than closing abandoning it. A store with no such work returns at once.
   */
  default void awaitMerges() throws IOException {}

  /** Drops every write since the last commit and closes the store. */
  void rollback() throws IOException;

  /** Closes the store; writes since the last {@link #commit} are discarded. */
  @Override
  void close() throws IOException;
}
