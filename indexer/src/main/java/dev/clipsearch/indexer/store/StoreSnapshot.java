package dev.clipsearch.indexer.store;

import java.io.Closeable;
import java.io.IOException;
import java.util.function.Predicate;

/**
 * A point-in-time view of a {@link CatalogStore} for lookups by product id: what the incremental
 * planner compares against, and what {@code --prune} walks. Later writes are not visible. Any
 * number of threads may call {@link #find} at once; close it to release what it holds.
 */
public interface StoreSnapshot extends Closeable {

  /** The product with this id, or null when the snapshot has none. */
  StoredProduct find(String id) throws IOException;

  /**
   * Calls {@code action} with the id of every live product, in no particular order, until it
   * returns false.
   */
  void forEachProductId(Predicate<String> action) throws IOException;
}
